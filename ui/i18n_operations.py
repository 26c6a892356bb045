"""The strings of the admin operations pages (dead letters, unclaimed devices, routing settings).

Kept apart like `ui/i18n_lifecycle.py`; `ui/i18n.py` merges these tables into its own at import.
"""

from __future__ import annotations

# key -> (français, English)
STRINGS: dict[str, tuple[str, str]] = {
    "nav.admin_dead_letters": ("Lettres mortes", "Dead letters"),
    "nav.admin_unclaimed": ("Appareils non réclamés", "Unclaimed devices"),
    "nav.admin_routing": ("Réglages du routage", "Routing settings"),
    "ops.admin_only": ("Cette page est réservée aux administrateurs.", "This page is for administrators only."),
    "ops.loading": ("Chargement…", "Loading…"),
    "ops.refresh": ("Actualiser", "Refresh"),
    # Dead letters
    "dl.title": ("Lettres mortes", "Dead letters"),
    "dl.intro": (
        ("Messages que les traitements n'ont pas pu accepter, avec la raison. Rejouez un message une fois la cause "
         "corrigée (par exemple après avoir créé l'organisation donatrice), ou écartez-le."),
        ("Messages the workers could not accept, with the reason. Replay a message once the cause is fixed "
         "(for example after creating the donor organisation), or discard it."),
    ),
    "dl.filters": ("Filtrer", "Filter"),
    "dl.status": ("Statut", "Status"),
    "dl.show": ("Afficher", "Show"),
    "dl.list": ("Liste des lettres mortes", "List of dead letters"),
    "dl.none": ("Aucune lettre morte pour ce filtre.", "No dead letter for this filter."),
    "dl.col_id": ("N°", "No."),
    "dl.col_failed_at": ("Reçue le", "Failed at"),
    "dl.col_error": ("Raison", "Reason"),
    "dl.col_consumer": ("Traitement", "Consumer"),
    "dl.col_origin": ("Origine (sujet, partition, position, clé)", "Origin (topic, partition, offset, key)"),
    "dl.col_original": ("Message d'origine", "Original message"),
    "dl.col_status": ("Statut", "Status"),
    "dl.partition": ("partition", "partition"),
    "dl.offset": ("position", "offset"),
    "dl.key": ("clé", "key"),
    "dl.no_key": ("sans clé", "no key"),
    "dl.base64": ("(encodé en base64 : le message n'est pas du texte UTF-8)",
                  "(base64-encoded: the message is not UTF-8 text)"),
    "dl.original_label": ("Message d'origine de la lettre n°", "Original message of dead letter no."),
    "dl.replay": ("Rejouer", "Replay"),
    "dl.discard": ("Écarter", "Discard"),
    "dl.replay_label": ("Rejouer la lettre n°", "Replay dead letter no."),
    "dl.discard_label": ("Écarter la lettre n°", "Discard dead letter no."),
    "dl.replayed": ("Lettre n°{id} rejouée : le message a été renvoyé sur {topic}.",
                    "Dead letter no. {id} replayed: the message was sent again to {topic}."),
    "dl.discarded": ("Lettre n°{id} écartée : le message ne sera pas traité.",
                     "Dead letter no. {id} discarded: the message will not be processed."),
    "dl.resolved": ("déjà traitée", "already resolved"),
    # Unclaimed devices
    "unc.title": ("Appareils non réclamés", "Unclaimed devices"),
    "unc.intro": (
        ("Appareils restés sans preneur après le dernier tour de routage. Relancez un tour à l'échelle de la "
         "région, ou radiez l'appareil avec un motif (perte, vol…)."),
        ("Devices nobody took after the last routing round. Start one more region-wide round, or write the "
         "device off with a reason (lost, stolen…)."),
    ),
    "unc.list": ("Liste des appareils non réclamés", "List of unclaimed devices"),
    "unc.none": ("Aucun appareil non réclamé.", "No unclaimed device."),
    "unc.col_category": ("Catégorie", "Category"),
    "unc.col_model": ("Marque et modèle", "Brand and model"),
    "unc.col_pays": ("Pays", "Pays"),
    "unc.col_since": ("Depuis le", "Since"),
    "unc.col_route": ("Routage", "Routing"),
    "unc.col_write_off": ("Radiation", "Write-off"),
    "unc.route_again": ("Relancer le routage", "Route again"),
    "unc.route_label": ("Relancer le routage de l'appareil", "Route again device"),
    "unc.write_off": ("Radier", "Write off"),
    "unc.reason_label": ("Motif de radiation de l'appareil", "Write-off reason for device"),
    "unc.reason_placeholder": ("Motif (perte, vol…)", "Reason (lost, stolen…)"),
    "unc.routed": ("Routage relancé pour {code} : {offers} offre(s) envoyée(s).",
                   "Routing started again for {code}: {offers} offer(s) sent."),
    "unc.routed_none": ("Routage relancé pour {code} : aucune organisation ne convient pour l'instant.",
                        "Routing started again for {code}: no organisation fits for now."),
    "unc.written_off": ("Appareil {code} radié.", "Device {code} written off."),
    # Routing settings
    "rs.title": ("Réglages du routage", "Routing settings"),
    "rs.intro": (
        ("Ces réglages s'appliquent en quelques secondes au routeur et aux minuteries, sans redémarrage. "
         "Chaque changement est conservé avec son auteur."),
        ("These settings apply to the router and the timers within seconds, without a restart. "
         "Every change is kept with who made it."),
    ),
    "rs.rounds": ("Tours de routage et délais", "Routing rounds and deadlines"),
    "rs.weights": ("Poids du score des offres", "Weights of the offer score"),
    "rs.weights_hint": ("Nombres positifs ou nuls ; ils pondèrent chaque critère dans le score d'une offre.",
                        "Numbers zero or above; they weigh each criterion in an offer's score."),
    "rs.save": ("Enregistrer les réglages", "Save the settings"),
    "rs.saved": ("Réglages enregistrés :", "Settings saved:"),
    "rs.unchanged": ("Aucun réglage n'a changé.", "No setting changed."),
    "rs.history": ("Historique des changements", "History of changes"),
    "rs.no_history": ("Aucun changement enregistré.", "No change recorded."),
    "rs.col_when": ("Date", "Date"),
    "rs.col_setting": ("Réglage", "Setting"),
    "rs.col_old": ("Ancienne valeur", "Old value"),
    "rs.col_new": ("Nouvelle valeur", "New value"),
    "rs.col_by": ("Modifié par", "Changed by"),
    "rs.routing_k": ("Organisations sollicitées par tour (k)", "Organisations offered each round (k)"),
    "rs.offer_ttl_hours": ("Validité d'une offre (heures)", "Offer expiry (hours)"),
    "rs.routing_max_rounds": ("Nombre maximal de tours de routage", "Maximum routing rounds"),
    "rs.pickup_deadline_hours": ("Délai d'enlèvement après réclamation (heures)", "Pickup deadline after a claim (hours)"),
    "rs.routing_weight_territory": ("Poids : proximité", "Weight: nearness"),
    "rs.routing_weight_fairness": ("Poids : équité", "Weight: fairness"),
    "rs.routing_weight_capacity": ("Poids : capacité disponible", "Weight: free capacity"),
    "rs.routing_weight_reliability": ("Poids : fiabilité", "Weight: reliability"),
}

VOCABULARY: dict[str, dict[str, tuple[str, str]]] = {
    "letter_status": {
        "new": ("nouvelle", "new"),
        "replayed": ("rejouée", "replayed"),
        "discarded": ("écartée", "discarded"),
    },
    "letter_filter": {
        "new": ("nouvelles", "new"),
        "replayed": ("rejouées", "replayed"),
        "discarded": ("écartées", "discarded"),
        "all": ("toutes", "all"),
    },
}

MESSAGES_EN: dict[str, str] = {
    "deadletter.not_found": "Dead letter not found.",
    "token.not_found": "No such API token for your organisation.",
    "webhook.not_found": "No such webhook for your organisation.",
    "report.not_found": "Unknown report.",
    "deadletter.already_resolved": "This dead letter was already resolved ({status}).",
}
