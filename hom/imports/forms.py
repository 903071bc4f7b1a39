"""The upload form (the file is checked and read in its validation) and the column-mapping form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .reading import ImportFileError, read_upload


class ImportUploadForm(forms.Form):
    """A CSV or XLSX: its size is checked first, then it is read; ``headers`` and ``rows`` hold the result."""

    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        try:
            self.headers, self.rows = read_upload(uploaded)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return uploaded


class ImportMappingForm(forms.Form):
    """One select per importable field: which column of the file holds it."""

    def __init__(self, *args, headers, targets, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not imported)"))] + [(header, header) for header in headers]
        for name, label in targets:
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
