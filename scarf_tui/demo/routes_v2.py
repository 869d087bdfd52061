from starlette.routing import Route


def v2_routes() -> list[Route]:
    return []
