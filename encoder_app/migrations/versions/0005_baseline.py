"""Baseline: the schema as encoder-app's schema version 5 left it (codebook, encounters, audit,
favorites, practice set-up, fee schedule, pick lists, study sets, POA exempt list).

Written to be run on a database made before Alembic too: each table and index is created only
when it is missing, so a desk database of schema 1 to 5 (whose hand-written upgrades only ever
added tables) gains what it lacks and keeps every row. The tables are spelled out here, not
taken from the models, so this revision creates the same schema whatever later revisions add.

Revision ID: 0005_baseline
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_baseline"
down_revision = None
branch_labels = None
depends_on = None

META = sa.MetaData()

sa.Table('encounters', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('label_key', sa.String(length=200), nullable=False),
    sa.Column('date_of_service', sa.Date(), nullable=True),
    sa.Column('setting', sa.String(length=30), nullable=False),
    sa.Column('diagnosis_count', sa.Integer(), nullable=False),
    sa.Column('procedure_count', sa.Integer(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('favorites', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user', sa.String(length=100), nullable=False),
    sa.Column('system', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user', 'system', 'code', name='uq_favorites_user_code')
)

sa.Table('fee_schedule', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('modifier', sa.String(length=2), nullable=False),
    sa.Column('fee_cents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code', 'modifier', name='uq_fee_schedule_code')
)

sa.Table('pick_lists', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name_key')
)

sa.Table('practice', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('tax_id', sa.String(length=10), nullable=False),
    sa.Column('group_npi', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('releases', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('source_file', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('counts_json', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('schema_info', META,
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('version')
)

sa.Table('study_attempts', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user', sa.String(length=100), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('set_name', sa.String(length=100), nullable=True),
    sa.Column('area', sa.String(length=200), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('entered', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('study_cards', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user', sa.String(length=100), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('card', sa.Text(), nullable=False),
    sa.Column('due', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user', 'item', name='uq_study_cards_user_item')
)

sa.Table('study_sets', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
)

sa.Table('addon_edits', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('addon', sa.String(length=5), nullable=False),
    sa.Column('primary_code', sa.String(length=5), nullable=False),
    sa.Column('edit_type', sa.SmallInteger(), nullable=False),
    sa.Column('effective', sa.Date(), nullable=True),
    sa.Column('deletion', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('audit_log', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('encounter_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=100), nullable=False),
    sa.Column('field', sa.String(length=100), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['encounter_id'], ['encounters.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('codes', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('short_title', sa.Text(), nullable=True),
    sa.Column('billable', sa.Boolean(), nullable=False),
    sa.Column('needs_seventh', sa.Boolean(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('added_on', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('terminated_on', sa.Date(), nullable=True),
    sa.Column('extra_json', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('gem_mappings', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=5), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('target', sa.String(length=8), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.Column('no_map', sa.Boolean(), nullable=False),
    sa.Column('combination', sa.Boolean(), nullable=False),
    sa.Column('scenario', sa.Integer(), nullable=False),
    sa.Column('choice_list', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('index_table_headings', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('col', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('index_terms', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('main_term_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('nemod', sa.Text(), nullable=True),
    sa.Column('display', sa.Text(), nullable=False),
    sa.Column('title_key', sa.Text(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('path_key', sa.Text(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=True),
    sa.Column('manif', sa.String(length=40), nullable=True),
    sa.Column('see', sa.Text(), nullable=True),
    sa.Column('see_also', sa.Text(), nullable=True),
    sa.Column('seecat', sa.String(length=20), nullable=True),
    sa.Column('subcat', sa.String(length=20), nullable=True),
    sa.Column('use', sa.Text(), nullable=True),
    sa.Column('tab', sa.String(length=10), nullable=True),
    sa.Column('codes', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('mce_edits', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('edit_group', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('rule', sa.Text(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('age_min', sa.SmallInteger(), nullable=True),
    sa.Column('age_max', sa.SmallInteger(), nullable=True),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('mue_limits', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('adjudication', sa.SmallInteger(), nullable=False),
    sa.Column('adjudication_text', sa.String(length=60), nullable=False),
    sa.Column('rationale', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('pcs_definitions', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=1), nullable=False),
    sa.Column('section_title', sa.String(length=100), nullable=False),
    sa.Column('axis_pos', sa.SmallInteger(), nullable=False),
    sa.Column('axis_title', sa.String(length=60), nullable=False),
    sa.Column('term', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.Text(), nullable=True),
    sa.Column('explanation', sa.Text(), nullable=True),
    sa.Column('includes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('pcs_device_aggregates', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('device', sa.String(length=200), nullable=False),
    sa.Column('operations', sa.Text(), nullable=False),
    sa.Column('body_systems', sa.Text(), nullable=False),
    sa.Column('parent_value', sa.String(length=1), nullable=False),
    sa.Column('parent_label', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('pick_list_sections', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pick_list_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['pick_list_id'], ['pick_lists.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('poa_exempt_codes', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('practice_payers', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('payer_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('practice_providers', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('credentials', sa.String(length=40), nullable=False),
    sa.Column('npi', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('ptp_edits', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('column1', sa.String(length=5), nullable=False),
    sa.Column('column2', sa.String(length=5), nullable=False),
    sa.Column('effective', sa.Date(), nullable=True),
    sa.Column('deletion', sa.Date(), nullable=True),
    sa.Column('modifier_indicator', sa.SmallInteger(), nullable=False),
    sa.Column('rationale_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('ptp_rationales', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('index_table_cells', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('col', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['index_terms.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('notes', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['codes.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('pick_list_items', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=12), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('modifier', sa.String(length=2), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['pick_list_sections.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

sa.Table('seventh_characters', META,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('char', sa.String(length=1), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['codes.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
)

#: (name, table, columns, unique)
INDEXES = [
    ('ix_encounters_date', 'encounters', ['deleted', 'date_of_service'], False),
    ('ix_encounters_updated', 'encounters', ['deleted', 'updated_at'], False),
    ('ix_releases_system_kind', 'releases', ['system', 'kind', 'effective_from'], False),
    ('ix_study_attempts_user_time', 'study_attempts', ['user', 'answered_at'], False),
    ('ix_study_cards_user_due', 'study_cards', ['user', 'due'], False),
    ('ix_addon_edits_release_addon', 'addon_edits', ['release_id', 'addon'], False),
    ('ix_audit_log_encounter', 'audit_log', ['encounter_id', 'id'], False),
    ('ix_codes_code_system', 'codes', ['code', 'system'], False),
    ('ix_codes_parent', 'codes', ['parent_id'], False),
    ('ix_codes_release_code', 'codes', ['release_id', 'code'], False),
    ('ix_codes_system_release', 'codes', ['system', 'release_id'], False),
    ('ix_gem_mappings_lookup', 'gem_mappings', ['source', 'release_id'], False),
    ('ix_index_terms_main_term', 'index_terms', ['main_term_id'], False),
    ('ix_index_terms_parent', 'index_terms', ['parent_id'], False),
    ('ix_index_terms_release_level_key', 'index_terms', ['release_id', 'level', 'title_key'],
     False),
    ('ix_gem_mappings_release_id', 'gem_mappings', ['release_id'], False),
    ('ix_index_table_headings_release_id', 'index_table_headings', ['release_id'], False),
    ('ix_index_terms_release_id', 'index_terms', ['release_id'], False),
    ('ix_index_table_cells_term_id', 'index_table_cells', ['term_id'], False),
    ('ix_notes_code_id', 'notes', ['code_id'], False),
    ('ix_seventh_characters_code_id', 'seventh_characters', ['code_id'], False),
    ('ix_mce_edits_release_code', 'mce_edits', ['release_id', 'code'], False),
    ('ix_mue_limits_release_code', 'mue_limits', ['release_id', 'code'], False),
    ('ix_pcs_definitions_release', 'pcs_definitions', ['release_id', 'section', 'axis_pos'], False),
    ('ix_pcs_device_aggregates_release', 'pcs_device_aggregates', ['release_id'], False),
    ('ix_pick_list_sections_list', 'pick_list_sections', ['pick_list_id', 'seq'], False),
    ('ix_poa_exempt_codes_release_code', 'poa_exempt_codes', ['release_id', 'code'], False),
    ('ix_ptp_edits_lookup', 'ptp_edits', ['release_id', 'column1', 'column2'], False),
    ('ix_ptp_rationales_release', 'ptp_rationales', ['release_id'], False),
    ('ix_pick_list_items_section', 'pick_list_items', ['section_id', 'seq'], False),
]


def upgrade() -> None:
    bind = op.get_bind()
    META.create_all(bind, checkfirst=True)
    for name, table, columns, unique in INDEXES:
        sa.Index(name, *(META.tables[table].c[c] for c in columns), unique=unique) \
            .create(bind, checkfirst=True)
    # The hand-written schema stamp the read-only search path checks (codebook/reading.py).
    schema_info = META.tables["schema_info"]
    if bind.execute(sa.select(schema_info.c.version)).first() is None:
        bind.execute(schema_info.insert().values(version=5))
    else:
        bind.execute(schema_info.update().values(version=5))


def downgrade() -> None:
    raise NotImplementedError("the baseline is not taken down: restore a backup instead")
