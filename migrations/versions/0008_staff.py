"""commissions (compositions, at most one active per kind and settlement) and signatory profiles

Revision ID: 0008_staff
Revises: 0007_case_facts
Create Date: 2026-12-05 08:30:00

The brief named 0002_cases as the parent; on this branch that would leave two heads (0006_replaced
and this) and `flask db upgrade` would refuse. It follows the current head instead, to be re-chained
when the case core's migrations land.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_staff'
down_revision = '0007_case_facts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('commissions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('settlement', sa.String(length=16), nullable=True),
    sa.Column('name_kk', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('chair', sa.String(length=200), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("kind IN ('district', 'special')", name='ck_commissions_kind'),
    sa.CheckConstraint("(kind = 'district' AND coalesce(settlement, '') IN ('saran', 'aktas'))"
                       " OR (kind = 'special' AND settlement IS NULL)", name='ck_commissions_settlement'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commissions'))
    )
    # one active commission per kind and settlement; the special commission's NULL counts as one value
    op.create_index('uq_commissions_one_active', 'commissions', ['kind', sa.text("coalesce(settlement, '')")],
                    unique=True, sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))
    op.create_table('signatory_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('position_kk', sa.String(length=200), nullable=False),
    sa.Column('position_ru', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_signatory_profiles_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_signatory_profiles'))
    )


def downgrade():
    op.drop_table('signatory_profiles')
    op.drop_index('uq_commissions_one_active', table_name='commissions')
    op.drop_table('commissions')
