"""The REST API's logic: tokens, the calls partners make, errors as HTTP statuses, OpenAPI, rate limits.

The HTTP routes (Starlette) live in `ui/api_routes.py` and only translate requests to these calls.
"""
