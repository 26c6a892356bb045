"""The strings of the import and integrations pages (CSV import, API tokens, webhooks).

Kept apart like `ui/i18n_operations.py`; `ui/i18n.py` merges these tables into its own at import.
"""

from __future__ import annotations

# key -> (français, English)
STRINGS: dict[str, tuple[str, str]] = {
    "nav.import": ("Importer un inventaire", "Import an inventory"),
    "import.title": ("Importer un inventaire (CSV)", "Import an inventory (CSV)"),
    "import.intro": (
        ("Déposez un export CSV de GLPI (Parc > Ordinateurs > Exporter) ou le modèle Seconde Vie. Rien n'est "
        "enregistré avant votre confirmation ; un fichier déjà importé ne crée aucun appareil en double."),
        ("Drop a CSV export from GLPI (Assets > Computers > Export) or the Seconde Vie template. Nothing is saved "
        "until you confirm; a file imported before creates no device twice."),
    ),
    "import.drop": ("Glissez le fichier ici ou cliquez pour le choisir", "Drop the file here or click to choose it"),
    "import.preview": ("Prévisualiser", "Preview"),
    "import.template": ("Télécharger le modèle CSV", "Download the CSV template"),
    "import.summary": ("Aperçu", "Preview"),
    "import.to_create": ("Appareils à créer", "Devices to create"),
    "import.already": ("Déjà importés (ignorés)", "Already imported (ignored)"),
    "import.errors": ("Lignes en erreur", "Rows with errors"),
    "import.ignored_columns": ("Colonnes ignorées", "Ignored columns"),
    "import.format": ("Format détecté", "Detected format"),
    "import.skip_invalid": (
        "Importer sans les lignes en erreur (elles ne seront pas importées)",
        "Import without the rows in error (they will not be imported)",
    ),
    "import.confirm": ("Confirmer l'import", "Confirm the import"),
    "import.running": ("Import en cours…", "Importing…"),
    "import.done": ("Import terminé", "Import finished"),
    "import.created": ("appareil(s) créé(s)", "device(s) created"),
    "import.fix_or_skip": (
        ("Le fichier contient des erreurs : corrigez-le et déposez-le à nouveau, ou cochez la case pour importer "
        "sans les lignes en erreur."),
        "The file has errors: fix it and drop it again, or tick the box to import without the rows in error.",
    ),
    "import.nothing": ("Aucun appareil à créer.", "No device to create."),
    "col.line": ("Ligne", "Line"),
    "col.column": ("Colonne", "Column"),
    "col.reason": ("Motif", "Reason"),
    "col.serial": ("N° de série", "Serial"),
}

STRINGS.update({
    "nav.integrations": ("Intégrations (API)", "Integrations (API)"),
    "integrations.title": ("Intégrations : API et webhooks", "Integrations: API and webhooks"),
    "integrations.intro": (
        ("Un jeton d'API permet au logiciel de votre organisation (GLPI, logiciel d'atelier…) d'utiliser l'API "
        "REST avec les mêmes droits que vos comptes. Documentation : /api/openapi.json."),
        ("An API token lets your organisation's software (GLPI, workshop software…) use the REST API with the "
        "same rights as your accounts. Documentation: /api/openapi.json."),
    ),
    "tokens.title": ("Jetons d'API", "API tokens"),
    "tokens.name": ("Nom du jeton (à quoi il sert)", "Token name (what it is for)"),
    "tokens.create": ("Créer un jeton", "Create a token"),
    "tokens.shown_once": (
        "Copiez ce jeton maintenant : il ne sera plus jamais affiché.",
        "Copy this token now: it will never be shown again.",
    ),
    "tokens.revoke": ("Révoquer", "Revoke"),
    "tokens.none": ("Aucun jeton.", "No token."),
    "tokens.revoked": ("révoqué", "revoked"),
    "tokens.active": ("actif", "active"),
    "col.name": ("Nom", "Name"),
    "col.prefix": ("Début du jeton", "Token prefix"),
    "col.created": ("Créé le", "Created"),
    "col.last_used": ("Dernière utilisation", "Last used"),
    "col.status": ("Statut", "Status"),
    "col.actions": ("Actions", "Actions"),
})

STRINGS.update({
    "webhooks.title": ("Webhooks", "Webhooks"),
    "webhooks.intro": (
        ("Seconde Vie envoie à ces adresses, signés (HMAC-SHA256), les événements qui concernent votre "
         "organisation : offres reçues, transitions de vos appareils. Les échecs sont réessayés."),
        ("Seconde Vie sends these addresses the events that concern your organisation, signed (HMAC-SHA256): "
         "offers received, your devices' transitions. Failures are retried."),
    ),
    "webhooks.url": ("URL de réception (https://…)", "Receiving URL (https://…)"),
    "webhooks.add": ("Ajouter le webhook", "Add the webhook"),
    "webhooks.secret_once": (
        "Secret de signature (copiez-le maintenant, il ne sera plus affiché) :",
        "Signing secret (copy it now, it will not be shown again):",
    ),
    "webhooks.remove": ("Supprimer", "Remove"),
    "webhooks.none": ("Aucun webhook.", "No webhook."),
    "webhooks.deliveries": ("Livraisons récentes", "Recent deliveries"),
    "webhooks.no_deliveries": ("Aucune livraison.", "No delivery."),
    "col.url": ("URL", "URL"),
    "col.event": ("Événement", "Event"),
    "col.attempts": ("Essais", "Attempts"),
    "col.last_error": ("Dernière erreur", "Last error"),
    "col.next_attempt": ("Prochain essai", "Next attempt"),
})
