"""The Bretagne demo organisations (invented names, real towns) and one account per role."""

from __future__ import annotations

ALL = ["laptop", "desktop", "monitor", "tablet", "smartphone", "printer", "network", "peripheral", "other"]
COMPUTERS = ["laptop", "desktop", "monitor", "tablet", "smartphone", "peripheral"]

# slug, name, kind, pays, town, accepted categories, capacity
ORGANISATIONS: list[tuple[str, str, str, str, str, list[str], int]] = [
    ("region-bretagne-dsi", "Région Bretagne — Direction des systèmes d'information", "region", "RENNES", "Rennes", [], 0),
    ("lycee-des-embruns-brest", "Lycée des Embruns", "lycee", "BREST", "Brest", [], 0),
    ("lycee-des-remparts-saint-malo", "Lycée des Remparts", "lycee", "SAINT_MALO", "Saint-Malo", [], 0),
    ("lycee-du-blavet-pontivy", "Lycée du Blavet", "lycee", "PONTIVY", "Pontivy", [], 0),
    ("lycee-de-l-odet-quimper", "Lycée de l'Odet", "lycee", "CORNOUAILLE", "Quimper", [], 0),
    ("lycee-des-sept-iles-lannion", "Lycée des Sept-Îles", "lycee", "TREGOR", "Lannion", [], 0),
    ("lycee-du-golfe-vannes", "Lycée du Golfe", "lycee", "VANNES", "Vannes", [], 0),
    ("lycee-de-la-vilaine-rennes", "Lycée de la Vilaine", "lycee", "RENNES", "Rennes", [], 0),
    ("repar-acteurs-brest", "Répar'Acteurs Brest", "association", "BREST", "Brest", COMPUTERS, 60),
    ("atelier-du-clic-rennes", "L'Atelier du Clic", "association", "RENNES", "Rennes", COMPUTERS, 80),
    ("reemploi-numerique-lorient", "Réemploi Numérique du Scorff", "association", "LORIENT", "Lorient", COMPUTERS, 40),
    ("deuxieme-souffle-saint-brieuc", "Deuxième Souffle", "association", "SAINT_BRIEUC", "Saint-Brieuc",
     COMPUTERS + ["printer"], 40),
    ("le-bon-octet-quimper", "Le Bon Octet", "association", "CORNOUAILLE", "Quimper", ["laptop", "desktop", "tablet"], 30),
    ("numerique-solidaire-vannes", "Numérique Solidaire du Golfe", "association", "VANNES", "Vannes", COMPUTERS, 35),
    ("clic-solidaire-fougeres", "Clic Solidaire Fougères", "association", "FOUGERES", "Fougères", ["laptop", "desktop"], 20),
    ("fablab-les-copeaux-rennes", "Fablab Les Copeaux", "fablab", "RENNES", "Rennes", ALL, 25),
    ("fablab-du-leon-morlaix", "Fablab du Léon", "fablab", "MORLAIX", "Morlaix", ALL, 15),
    ("fablab-ty-lab-pontivy", "Ty Lab", "fablab", "PONTIVY", "Pontivy", ALL, 15),
    ("tiers-lieu-la-passerelle-guingamp", "La Passerelle", "tiers_lieu", "GUINGAMP", "Guingamp", [], 0),
    ("tiers-lieu-l-escale-redon", "L'Escale numérique", "tiers_lieu", "REDON", "Redon", [], 0),
    ("tiers-lieu-la-ruche-fougeres", "La Ruche", "tiers_lieu", "FOUGERES", "Fougères", [], 0),
    ("tiers-lieu-le-quai-carhaix", "Le Quai", "tiers_lieu", "COB", "Carhaix-Plouguer", [], 0),
    ("deee-ouest-recyclage-vitre", "DEEE Ouest Recyclage", "recycler", "VITRE", "Vitré", ALL + ["server"], 500),
    ("audit-numerique-bretagne", "Mission d'audit du numérique responsable", "auditor", "RENNES", "Rennes", [], 0),
]

# role -> (email, password, display name, organisation slug, admin). Created in demo mode only.
DEMO_ACCOUNTS: dict[str, tuple[str, str, str, str, bool]] = {
    "asset_manager": ("gestion@lycee-des-embruns.demo", "demo-gestion-2026", "Maëlle Le Gall",
                      "lycee-des-embruns-brest", False),
    "refurbisher": ("atelier@repar-acteurs.demo", "demo-atelier-2026", "Yann Kerjean", "repar-acteurs-brest", False),
    "maker": ("lab@fablab-du-leon.demo", "demo-fablab-2026", "Nolwenn Tanguy", "fablab-du-leon-morlaix", False),
    "third_place": ("accueil@la-passerelle.demo", "demo-tierslieu-2026", "Erwan Riou",
                    "tiers-lieu-la-passerelle-guingamp", False),
    "recycler": ("quai@deee-ouest.demo", "demo-recyclage-2026", "Soizic Morvan", "deee-ouest-recyclage-vitre", False),
    "auditor": ("audit@numerique-bretagne.demo", "demo-audit-2026", "Gwenaël Prigent", "audit-numerique-bretagne", False),
    "admin": ("admin@region-bretagne.demo", "demo-admin-2026", "Anne Le Bihan", "region-bretagne-dsi", True),
}

MODELS = {
    "laptop": [("Dell", "Latitude 5480"), ("Lenovo", "ThinkPad T470"), ("HP", "EliteBook 840 G5")],
    "desktop": [("Dell", "OptiPlex 7050"), ("HP", "ProDesk 600 G3"), ("Lenovo", "ThinkCentre M710")],
    "monitor": [("Dell", "P2419H"), ("Iiyama", "ProLite XU2492")],
    "tablet": [("Samsung", "Galaxy Tab A 10.1"), ("Apple", "iPad 6")],
    "smartphone": [("Samsung", "Galaxy A52"), ("Fairphone", "3")],
    "printer": [("Brother", "HL-L2350DW")],
    "server": [("Dell", "PowerEdge R430")],
}
