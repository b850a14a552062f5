# Review periods (sơ kết, tổng kết) and the sections of a review report.

import django.db.models.deletion
import django.db.models.manager
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0008_campaign_drafting'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalReviewSections',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1)),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('results', models.TextField(blank=True, verbose_name='results per task')),
                ('good_examples', models.TextField(blank=True, verbose_name='models and good examples')),
                ('limits', models.TextField(blank=True, verbose_name='limits and their causes')),
                ('proposals', models.TextField(blank=True, verbose_name='proposals')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical review sections',
                'verbose_name_plural': 'historical review sections',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ReviewSections',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1)),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('results', models.TextField(blank=True, verbose_name='results per task')),
                ('good_examples', models.TextField(blank=True, verbose_name='models and good examples')),
                ('limits', models.TextField(blank=True, verbose_name='limits and their causes')),
                ('proposals', models.TextField(blank=True, verbose_name='proposals')),
            ],
            options={
                'verbose_name': 'review sections',
                'verbose_name_plural': 'review sections',
            },
        ),
        migrations.AlterModelOptions(
            name='reportingperiod',
            options={'base_manager_name': 'all_kinds', 'default_manager_name': 'objects', 'ordering': ['campaign', 'starts_on'], 'verbose_name': 'reporting period', 'verbose_name_plural': 'reporting periods'},
        ),
        migrations.AlterModelManagers(
            name='reportingperiod',
            managers=[
                ('all_kinds', django.db.models.manager.Manager()),
                ('objects', django.db.models.manager.Manager()),
            ],
        ),
        migrations.RemoveConstraint(
            model_name='reportingperiod',
            name='period_unique_start',
        ),
        migrations.AddField(
            model_name='historicalreportingperiod',
            name='kind',
            field=models.CharField(choices=[('regular', 'Regular report'), ('review', 'Review report')], db_index=True, default='regular', max_length=10, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='reportingperiod',
            name='kind',
            field=models.CharField(choices=[('regular', 'Regular report'), ('review', 'Review report')], db_index=True, default='regular', max_length=10, verbose_name='kind'),
        ),
        migrations.AddConstraint(
            model_name='reportingperiod',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'regular')), fields=('campaign', 'starts_on'), name='period_unique_start'),
        ),
        migrations.AddField(
            model_name='historicalreviewsections',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalreviewsections',
            name='report',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.progressreport', verbose_name='report'),
        ),
        migrations.AddField(
            model_name='historicalreviewsections',
            name='updated_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
        ),
        migrations.AddField(
            model_name='reviewsections',
            name='report',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='review', to='campaigns.progressreport', verbose_name='report'),
        ),
        migrations.AddField(
            model_name='reviewsections',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
        ),
    ]
