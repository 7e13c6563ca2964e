"""The SigV4 ``Authorization`` header: who is calling, and in which Region.

``AWS4-HMAC-SHA256 Credential=<access key id>/<yyyymmdd>/<region>/dynamodb/aws4_request,
SignedHeaders=..., Signature=...``. openddb uses the credential scope to pick
the caller's namespace, as DynamoDB Local does; signatures are not verified.
"""

from __future__ import annotations

from dataclasses import dataclass

from openddb import errors

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "000000000000"
ACCOUNT_ID_DIGITS = 12
_CREDENTIAL = "Credential="


@dataclass(frozen=True, slots=True)
class Caller:
    """The caller's access key id, Region and 12-digit account id."""

    access_key_id: str
    region: str
    account_id: str


def caller_of(authorization: str | None) -> Caller:
    """The caller named by an ``Authorization`` header.

    Raises MissingAuthenticationTokenException when the header is absent or is
    not an AWS4 signature. The account id is the access key id when that is 12
    digits (as LocalStack does), otherwise ``000000000000``.
    """
    if not authorization or not authorization.lstrip().startswith("AWS4-"):
        raise errors.missing_authentication_token()
    start = authorization.find(_CREDENTIAL)
    access_key_id, region = "", DEFAULT_REGION
    if start >= 0:
        credential = authorization[start + len(_CREDENTIAL) :].split(",", 1)[0].strip()
        parts = credential.split("/")
        access_key_id = parts[0]
        if len(parts) >= 3 and parts[2]:
            region = parts[2]
    account_id = (
        access_key_id
        if len(access_key_id) == ACCOUNT_ID_DIGITS and access_key_id.isdigit()
        else DEFAULT_ACCOUNT_ID
    )
    return Caller(access_key_id, region, account_id)
