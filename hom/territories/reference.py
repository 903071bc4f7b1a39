"""The reference rows HOM ships with: sectors and the needs a help office meets.

Sectors follow ``data/sectors_and_documents.md`` (codes used by Senegalese funders).
"""

SECTORS = [
    ("AGRI", "Agriculture, maraîchage, arboriculture", "Agriculture, market gardening"),
    ("ELEV", "Élevage, aviculture", "Livestock, poultry"),
    ("PECHE", "Pêche, aquaculture", "Fisheries, aquaculture"),
    ("AGRO", "Transformation agroalimentaire", "Agro-processing"),
    ("ARTI", "Artisanat (couture, menuiserie…)", "Crafts (tailoring, carpentry…)"),
    ("COMM", "Commerce, import-export", "Trade, import-export"),
    ("TRANS", "Transport et logistique", "Transport and logistics"),
    ("IMMO", "Immobilier, construction, BTP", "Real estate, construction"),
    ("TIC", "Numérique, TIC", "ICT, digital"),
    ("SERV", "Services (restauration, coiffure, multiservice…)", "Services (catering, hairdressing…)"),
    ("TOUR", "Tourisme, hôtellerie", "Tourism, hospitality"),
    ("FORM", "Formation, éducation", "Training, education"),
    ("SANTE", "Santé", "Health"),
    ("EAU_ENV", "Eau, assainissement, environnement", "Water, sanitation, environment"),
    ("SOCIAL", "Développement social (collectif)", "Social development (collective)"),
]

NEED_CATEGORIES = [
    ("INFO_INVEST", "Information sur l'investissement", "Information on investing"),
    ("PROJECT", "Montage de projet", "Project set-up"),
    ("FUNDING", "Recherche de financement", "Funding"),
    ("PAPERS", "Documents administratifs", "Administrative papers"),
    ("TRAINING", "Formation", "Training"),
    ("EMPLOYMENT", "Emploi", "Employment"),
    ("RETURN", "Retour et réinsertion", "Return and reintegration"),
    ("LEGAL", "Conseil juridique", "Legal advice"),
    ("PSYCHO", "Soutien psychosocial", "Psychosocial support"),
    ("HOUSING", "Logement", "Housing"),
    ("HEALTH", "Santé", "Health"),
]
