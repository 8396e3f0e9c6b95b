"""HTTP routes of the service, one module per resource; :data:`ROUTERS` are mounted by ``create_app``."""

from greendc.service.routes import admin, dashboard, kpi, readings

ROUTERS = (readings.router, admin.router, kpi.router, dashboard.router)

__all__ = ["ROUTERS"]
