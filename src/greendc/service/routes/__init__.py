"""HTTP routes of the service, one module per resource; :data:`ROUTERS` are mounted by ``create_app``."""

from greendc.service.routes import admin, dashboard, kpi, quarantines, readings, tokens

ROUTERS = (readings.router, admin.router, quarantines.router, tokens.router, kpi.router, dashboard.router)

__all__ = ["ROUTERS"]
