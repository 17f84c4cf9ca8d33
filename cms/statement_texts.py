"""Default text of the privacy and accessibility statements that a new installation starts with.

Honest about what Dugnad itself does; the organisation running the installation completes the parts
in square brackets (who it is, how to reach it) in the admin. Bokmål, the site's default language.
"""

from wagtail.rich_text import RichText

PRIVACY_TITLE = "Personvernerklæring"
PRIVACY_SLUG = "personvern"
PRIVACY_INTRO = (
    "<p>Denne erklæringen forteller hvilke personopplysninger denne tjenesten behandler, hvorfor, "
    "hvor lenge de lagres, og hvilke rettigheter du har.</p>"
)
PRIVACY_BODY = [
    ("heading", {"text": "Behandlingsansvarlig", "level": "h2"}),
    (
        "text",
        RichText(
            "<p>[Navn på virksomheten som driver tjenesten], [adresse], [e-post]. "
            "Personvernombud: [navn og e-post]. Rediger denne siden i administrasjonen.</p>"
        ),
    ),
    ("heading", {"text": "Hva vi lagrer og hvorfor", "level": "h2"}),
    (
        "text",
        RichText(
            "<ul>"
            "<li>Konto: e-postadresse, visningsnavn, passord (bare som hash), valgt språk og eventuelt profilbilde. "
            "Formål: å drive kontoen din. Grunnlag: avtale (personvernforordningen art. 6 nr. 1 b).</li>"
            "<li>Det du skriver: kommentarer (med tidligere versjoner, som moderatorer kan se), rapporter, "
            "prosjektforslag, fremdriftsrapporter og partnersøknader. Visningsnavnet ditt vises offentlig "
            "sammen med det du publiserer; e-postadressen din vises aldri offentlig.</li>"
            "<li>Medlemskap i partnerorganisasjoner, hva du følger, varslene dine og e-postvalgene dine.</li>"
            "<li>Innspill med kode (for barn og unge): den som svarer med en kode fra skolen eller gruppen, "
            "oppgir bare aldersgruppe og svarene sine. Vi spør ikke om navn eller e-post og lagrer ikke "
            "IP-adressen med svaret; for å hindre at samme enhet svarer to ganger lagrer vi bare en "
            "enveis-hash av økten (<code>sessionid</code>). Svarene vises bare samlet.</li>"
            "<li>Tekniske logger fra tjenesten (tidspunkt, adresse som ble besøkt, IP-adresse) for drift og "
            "sikkerhet. Grunnlag: berettiget interesse (art. 6 nr. 1 f).</li>"
            "</ul>"
        ),
    ),
    ("heading", {"text": "Informasjonskapsler", "level": "h2"}),
    (
        "text",
        RichText(
            "<p>Tjenesten bruker bare informasjonskapsler som er strengt nødvendige: én for innloggingen "
            "(<code>sessionid</code>), én som beskytter skjemaer mot forfalskede forespørsler "
            "(<code>csrftoken</code>) og én som husker språket du har valgt (<code>django_language</code>). "
            "Ingen analyse, ingen reklame, ingenting fra tredjeparter.</p>"
        ),
    ),
    ("heading", {"text": "Hvor lenge vi lagrer", "level": "h2"}),
    (
        "text",
        RichText(
            "<p>Så lenge du har en konto. Varsler og tekniske logger slettes etter en kortere tid. "
            "Kontoer som aldri er bekreftet, slettes automatisk.</p>"
        ),
    ),
    ("heading", {"text": "Dine rettigheter", "level": "h2"}),
    (
        "text",
        RichText(
            "<p>Du har rett til innsyn i, retting og sletting av opplysningene om deg, og til å få dem "
            "utlevert. Når du er logget inn, kan du selv endre profilen din, laste ned en kopi av alt vi "
            "lagrer om deg og slette kontoen din (under «Dataene dine» på profilen). En slettet konto "
            "stenges med en gang, og personopplysningene slettes etter 30 dager. Du kan også kontakte oss "
            "på [e-post]. Du kan klage til Datatilsynet (datatilsynet.no).</p>"
        ),
    ),
]

ACCESSIBILITY_TITLE = "Tilgjengelighetserklæring"
ACCESSIBILITY_SLUG = "tilgjengelighet"
ACCESSIBILITY_INTRO = (
    "<p>[Navn på virksomheten] skal sørge for at alle kan bruke denne tjenesten, slik forskrift om "
    "universell utforming av IKT-løsninger krever (WCAG 2.1, nivå A og AA).</p>"
)
ACCESSIBILITY_BODY = [
    ("heading", {"text": "Status", "level": "h2"}),
    (
        "text",
        RichText(
            "<p>Tjenesten er utviklet for å oppfylle WCAG 2.1 nivå AA. Hver side som testes, kontrolleres "
            "automatisk med axe-core i en ekte nettleser, i lys og mørk modus, på bokmål, nynorsk og "
            "engelsk, og med en skjermbredde ned til 320 piksler. Alt skal kunne brukes med tastatur.</p>"
        ),
    ),
    ("heading", {"text": "Kjente avvik", "level": "h2"}),
    (
        "text",
        RichText(
            "<ul>"
            "<li>Dokumenter (for eksempel PDF) som lastes opp av partnere og koordinatorer, kontrolleres "
            "ikke automatisk og kan mangle tilgjengelighetsinformasjon.</li>"
            "<li>Bilder som lastes opp, skal ha en beskrivelse; eldre bilder kan mangle den.</li>"
            "<li>Administrasjonsgrensesnittet (Wagtail) er utenfor denne erklæringen.</li>"
            "</ul>"
            "<p>[Oppdater listen etter egen gjennomgang.]</p>"
        ),
    ),
    ("heading", {"text": "Tilbakemelding og kontakt", "level": "h2"}),
    (
        "text",
        RichText(
            "<p>Har du funnet noe som ikke fungerer for deg? Skriv til [e-post] eller ring [telefon], "
            "så svarer vi så snart vi kan.</p>"
        ),
    ),
    ("heading", {"text": "Tilsyn", "level": "h2"}),
    (
        "text",
        RichText(
            "<p>Tilsynet for universell utforming av IKT (uutilsynet.no), en del av Digitaliseringsdirektoratet, "
            "fører tilsyn med at nettsteder følger kravene. Du kan melde fra til tilsynet om mangler.</p>"
        ),
    ),
]
