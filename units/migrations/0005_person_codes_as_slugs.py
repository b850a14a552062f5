"""Person codes that are not slugs (the demo once made "user-canbo.hanoi") break every page
that links to the person: `<slug:code>` cannot reverse them. Replace each character outside
letters, digits, "-" and "_" by "-", adding a number if the result is taken."""

import re

from django.db import migrations

NOT_SLUG = re.compile(r"[^-a-zA-Z0-9_]")


def forwards(apps, schema_editor):
    Person = apps.get_model("units", "Person")
    taken = set(Person.objects.values_list("code", flat=True))
    for person in Person.objects.all().only("pk", "code"):
        if not NOT_SLUG.search(person.code):
            continue
        base = NOT_SLUG.sub("-", person.code)[:36] or "person"
        code, number = base, 1
        while code in taken:
            number += 1
            code = f"{base}-{number}"
        taken.add(code)
        Person.objects.filter(pk=person.pk).update(code=code)


class Migration(migrations.Migration):
    dependencies = [("units", "0004_messages")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
