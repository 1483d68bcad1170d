"""The HTTP API (litestar): thin controllers, msgspec Structs in and out, problem+json errors."""
