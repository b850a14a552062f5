"""The official documents of commendations, generated on demand as DOCX and XLSX.

They are Vietnamese administrative documents, so they are written in Vietnamese whatever the
language of the person downloading them (the texts are translated msgids, rendered under
translation.override("vi")). Every run of text is set in Times New Roman, including the
East Asian and complex-script slots of the font table, so that Word and LibreOffice never fall
back to a font without the Vietnamese diacritics.

Views check the permission and serve the bytes as an attachment; nothing here reads the
request.
"""
