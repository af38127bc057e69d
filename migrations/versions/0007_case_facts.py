"""case facts: what each step set, as columns (and the household encrypted); one document in
force per type and case, kept by the database; a version on the case for concurrent writers

Revision ID: 0007_case_facts
Revises: 0006_replaced
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_case_facts'
down_revision = '0006_replaced'
branch_labels = None
depends_on = None

_DATES = ('inspected_on', 'inspection_refused_on', 'district_concluded_on', 'district_received_on',
          'special_concluded_on', 'decided_on', 'notified_on', 'circumstance_on', 'payments_stop_from',
          'terminated_on')
_TEXTS = (('settlement', 10), ('inspection_outcome', 12), ('district_conclusion', 24),
          ('special_conclusion', 24), ('periodicity', 12), ('form', 8), ('period_from', 7),
          ('refusal_reasons', 120), ('termination_ground', 40))
_IN_FORCE = "state IN ('issued', 'signed')"


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        for name, length in _TEXTS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
        for name in _DATES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('amount', sa.Numeric(14, 2), nullable=True))
        batch_op.add_column(sa.Column('payments', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('household', sa.Text(), nullable=True))
    op.execute("UPDATE cases SET updated_at = created_at")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('updated_at', nullable=False)
        batch_op.create_index(batch_op.f('ix_cases_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))   # encrypted: a correction's reason

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=10), nullable=False, server_default='issued'))
    op.execute("UPDATE documents SET state = 'replaced' WHERE replaced_by IS NOT NULL")
    # documents issued twice by a race before this revision: the latest stays in force
    op.execute("""UPDATE documents SET state = 'replaced' WHERE case_id IS NOT NULL AND state = 'issued'
                  AND created_at < (SELECT MAX(d.created_at) FROM documents d WHERE d.case_id = documents.case_id
                                    AND d.doc_type = documents.doc_type AND d.state = 'issued')""")
    op.create_index('uq_documents_in_force', 'documents', ['case_id', 'doc_type'], unique=True,
                    sqlite_where=sa.text(_IN_FORCE), postgresql_where=sa.text(_IN_FORCE))


def downgrade():
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_column('note')
    op.drop_index('uq_documents_in_force', table_name='documents')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('state')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_updated_at'))
        for name in ('version', 'updated_at', 'amount', 'payments', 'household', *_DATES,
                     *(n for n, _ in _TEXTS)):
            batch_op.drop_column(name)
