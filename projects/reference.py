"""The document checklist HOM ships with; office admins edit it afterwards in the admin.

From ``data/sectors_and_documents.md`` (section 2: documents Senegalese funders ask
for; sources credited in ``projects/funding/data/SOURCES.md``). The codes are stable:
the funding catalogue refers to them.
"""

# (code, French label, English label, French help, English help)
DOCUMENT_TYPES = [
    ("ID", "Carte d'identité ou passeport", "ID card or passport",
     "Une copie lisible de votre carte d'identité ou de votre passeport.", "A readable copy of your ID card or passport."),
    ("RESIDENCE", "Carte consulaire ou certificat de résidence", "Consular card or proof of residence",
     "Votre carte consulaire si vous vivez à l'étranger, sinon un certificat de résidence de moins de 3 mois.",
     "Your consular card if you live abroad, otherwise a proof of residence less than 3 months old."),
    ("NINEA", "NINEA (identifiant de l'entreprise)", "NINEA (business identification number)",
     "L'avis d'immatriculation NINEA de votre entreprise.", "Your business's NINEA registration notice."),
    ("RCCM", "Registre du commerce (RCCM)", "Trade register (RCCM)",
     "Le récépissé d'inscription au registre du commerce.", "The trade register receipt."),
    ("STATUTES", "Statuts de l'association ou du groupement", "Statutes of the association or group",
     "Les statuts enregistrés et le règlement intérieur.", "The registered statutes and internal rules."),
    ("MINUTES", "Procès-verbal d'assemblée générale", "Minutes of the general meeting",
     "Le PV de l'assemblée qui a décidé le projet et élu le bureau.", "The minutes of the meeting that decided the project."),
    ("BUSINESS_PLAN", "Plan d'affaires ou étude du projet", "Business plan or project study",
     "Le document qui décrit le projet, son marché et ses comptes prévisionnels.",
     "The document describing the project, its market and its forecast accounts."),
    ("QUOTES", "Devis ou factures pro forma", "Quotes or pro forma invoices",
     "Les devis des équipements et travaux que vous voulez acheter.", "Quotes for the equipment and works you want to buy."),
    ("LAND", "Titre foncier, bail ou attestation d'affectation", "Land title, lease or allocation paper",
     "Le papier qui prouve que vous pouvez utiliser le terrain ou le local.",
     "The paper proving you may use the land or premises."),
]

# (document code, kind or "", sector code or "", stage or ""): "" means any.
REQUIREMENTS = [
    ("ID", "", "", ""),
    ("RESIDENCE", "", "", ""),
    ("BUSINESS_PLAN", "", "", ""),
    ("QUOTES", "", "", ""),
    # A business that already runs is registered.
    ("NINEA", "", "", "extension"),
    ("RCCM", "", "", "extension"),
    # Collective and community projects are carried by an association or a group.
    ("STATUTES", "collective", "", ""),
    ("STATUTES", "community", "", ""),
    ("MINUTES", "collective", "", ""),
    ("MINUTES", "community", "", ""),
    # Agriculture and building need the land.
    ("LAND", "", "AGRI", ""),
    ("LAND", "", "IMMO", ""),
]
