"""HTTP plumbing the API and the pages share: the request's language, error responses, files."""
