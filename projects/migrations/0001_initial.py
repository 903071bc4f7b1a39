"""The projects app starts empty: dossiers and funding each add their own migrations."""
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = []
