"""The web platform: FastAPI app built by `create_app(settings)`."""
