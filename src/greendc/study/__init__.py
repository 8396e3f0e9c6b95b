"""Studies on dask.distributed: designs of points over scenario fields, a result store that survives
interruptions, near-optimal alternatives and the study report (see :mod:`greendc.study.run`)."""
