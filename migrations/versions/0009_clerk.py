"""The clerk pages: the applicant's name (encrypted) for lists, keyed search terms (an event's
note came with 0007_case_facts)

Revision ID: 0009_clerk
Revises: 0008_staff
Create Date: 2026-12-05 08:30:00

Existing cases get their name and search terms from `flask --app formsvc cases reindex`
(the migration has no keys to read the applications with).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_clerk'
down_revision = '0008_staff'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applicant_name', sa.Text(), nullable=True))
    op.create_table(
        'case_search_terms',
        sa.Column('case_id', sa.String(length=36), sa.ForeignKey('cases.id'), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('case_id', 'digest'),
    )
    op.create_index('ix_case_search_terms_digest', 'case_search_terms', ['digest'])


def downgrade():
    op.drop_index('ix_case_search_terms_digest', table_name='case_search_terms')
    op.drop_table('case_search_terms')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('applicant_name')
