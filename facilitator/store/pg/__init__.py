"""The store on a PostgreSQL server (psycopg 3): the connection and its migrations.

The verbs are the shared ones in :mod:`facilitator.store`; only connection and transaction
handling (:mod:`.db`) and the schema (:mod:`.migrations`) are PostgreSQL's own. psycopg is
imported only when a ``postgresql://`` URL is used (``pip install 'facilitator[postgres]'``).
"""
