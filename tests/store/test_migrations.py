from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from reverie.store import Store
from reverie.store.migrate import current_revision, head_revision
from reverie.store.schema import metadata


def test_migrations_build_exactly_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []
