"""Ballots sealed under each meeting's Paillier key (README "The secret ballot").

Meetings whose ballot opened before this migration kept their counts in clear, ballot by
ballot. They are marked `plain_counts`:
- a closed one keeps its counts and results unchanged;
- an open one takes no more ballots; the secretary closes it with the counts it has (no
  passphrase: it has no key) or voids it, and the council votes again, sealed.
Migration 0005 then rewrites the tally table on PostgreSQL to drop the old row versions.
"""

import django.db.models.deletion
from django.db import migrations, models


def mark_plain_counts(apps, schema_editor):
    Meeting = apps.get_model("awards", "Meeting")
    marked = Meeting.objects.filter(status__in=["ballot_open", "closed"]).update(plain_counts=True)
    if marked:
        print(f"\n  {marked} meeting(s) with ballots counted in clear marked plain_counts.")


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0003_council_meetings_publicity_decisions'),
    ]

    operations = [
        migrations.CreateModel(
            name='BallotKey',
            fields=[
                ('meeting', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='ballot_key', serialize=False, to='awards.meeting', verbose_name='meeting')),
                ('public_n', models.BinaryField()),
                ('public_n_mac', models.CharField(max_length=64)),
                ('salt', models.BinaryField()),
                ('scrypt_n', models.PositiveIntegerField()),
                ('nonce', models.BinaryField()),
                ('sealed_private_key', models.BinaryField()),
            ],
            options={
                'verbose_name': 'ballot key',
                'verbose_name_plural': 'ballot keys',
            },
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='plain_counts',
            field=models.BooleanField(default=False, editable=False, verbose_name='counts kept in clear'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='plain_counts',
            field=models.BooleanField(default=False, editable=False, verbose_name='counts kept in clear'),
        ),
        migrations.CreateModel(
            name='SealedVote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ciphertext', models.BinaryField()),
                ('tally', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sealed_votes', to='awards.votetally', verbose_name='agenda item')),
            ],
            options={
                'verbose_name': 'sealed vote',
                'verbose_name_plural': 'sealed votes',
            },
        ),
        migrations.RunPython(mark_plain_counts, migrations.RunPython.noop),
    ]
