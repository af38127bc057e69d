"""personal data at rest: document inputs and kept files encrypted (Fernet, keys outside the database)

Revision ID: 0005_encrypt
Revises: 0004_health
Create Date: 2026-11-23 19:15:00

"""
import json

import sqlalchemy as sa
from alembic import op

from formsvc.core.crypto import RING

revision = '0005_encrypt'
down_revision = '0004_health'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.alter_column('input', existing_type=sa.JSON(), type_=sa.Text(), existing_nullable=False,
                              postgresql_using='input::text')
    for doc_id, raw in bind.execute(sa.text("SELECT id, input FROM documents")).fetchall():
        text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
        token = RING.encrypt(text.encode("utf-8")).decode("ascii")
        bind.execute(sa.text("UPDATE documents SET input = :t WHERE id = :i"), {"t": token, "i": doc_id})
    for doc_id, lang, fmt, content in bind.execute(
            sa.text("SELECT document_id, lang, format, content FROM document_files")).fetchall():
        bind.execute(sa.text("UPDATE document_files SET content = :c WHERE document_id = :i AND lang = :l "
                             "AND format = :f"), {"c": RING.encrypt(bytes(content)), "i": doc_id, "l": lang, "f": fmt})


def downgrade():
    bind = op.get_bind()
    for doc_id, lang, fmt, content in bind.execute(
            sa.text("SELECT document_id, lang, format, content FROM document_files")).fetchall():
        bind.execute(sa.text("UPDATE document_files SET content = :c WHERE document_id = :i AND lang = :l "
                             "AND format = :f"), {"c": RING.decrypt(bytes(content)), "i": doc_id, "l": lang, "f": fmt})
    for doc_id, token in bind.execute(sa.text("SELECT id, input FROM documents")).fetchall():
        bind.execute(sa.text("UPDATE documents SET input = :t WHERE id = :i"),
                     {"t": RING.decrypt(token.encode("ascii")).decode("utf-8"), "i": doc_id})
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.alter_column('input', existing_type=sa.Text(), type_=sa.JSON(), existing_nullable=False,
                              postgresql_using='input::json')
