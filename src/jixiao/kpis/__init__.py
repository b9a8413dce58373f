"""Service KPIs: declared once as data, compiled to Ibis, run on DuckDB, Spark or PostgreSQL."""
