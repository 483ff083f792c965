"""facilitator: plan, run and document therapy and psychoeducation groups."""

__version__ = "0.1.0"
