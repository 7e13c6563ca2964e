"""Wire format (AWS JSON 1.0), independent of the HTTP transport."""
