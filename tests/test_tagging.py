"""Tagging as an editor sees it: which companies, organisations and topics an article gets."""

from __future__ import annotations

import ahocorasick
import yaml
from conftest import topics

import builder.registry
from builder.suggest import suggestions_report
from builder.tagging import Tags


def companies(tagger, *paragraphs, title=""):
    return tagger.tag(title, list(paragraphs)).companies


def test_visa_the_company_is_not_a_travel_visa(tagger):
    assert companies(tagger, "Visa issues visas to partners.") == ("Visa",)
    assert companies(tagger, "Visa applications rose. A student Visa costs more; the Golden Visa scheme ends.") == ()
    assert companies(tagger, "Competitors such as Visa and PayPal are expanding.") == ("Visa", "PayPal")


def test_ordinary_words_are_not_companies(tagger):
    assert companies(tagger, "A meta-analysis of metadata found Meta-analysis hard.") == ()
    assert companies(tagger, "Amazon rainforest fires spread. An apple a day; a signal was lost.") == ()
    assert companies(tagger, "Amazon faced similar issues with its tools.") == ("Amazon",)
    assert companies(tagger, "Users discord over intel on the zoom call.") == ()


def test_longest_name_wins_and_aliases_give_canonical_names(tagger):
    assert companies(tagger, "Google DeepMind has launched Gemini 2.5.") == ("Google DeepMind",)
    assert companies(tagger, "Early participants include HSBC UK and Banco Santander.") == (
        "HSBC UK",
        "Banco Santander",
    )
    assert companies(tagger, "Facebook changed its name.") == ("Meta",)


def test_possessives_with_curly_or_straight_apostrophes(tagger):
    assert companies(tagger, "A breach at one of Discord’s vendors and OpenAI's rival.") == ("Discord", "OpenAI")


def test_subsidiary_is_tagged_itself_with_its_parent_available(tagger):
    tags = tagger.tag("", ["YouTube has introduced a survey."])
    assert tags.companies == ("YouTube",)
    assert tagger.registry.company("YouTube").parent == "Google"


def test_x_only_where_it_is_the_platform(tagger):
    assert companies(tagger, "Posts on the X platform spread fast.") == ("X",)
    tags = tagger.tag("", ["Alibaba invests in robotics ventures such as Unitree Robotics and X Square Robot."])
    assert tags.companies == ("Alibaba", "Unitree Robotics", "X Square Robot")
    assert tags.discovered == ("X Square Robot",)
    assert companies(tagger, "An X-ray of Generation X.") == ()


def test_products_are_not_companies(tagger):
    tags = tagger.tag("", ["Google is expanding access to Opal. ChatGPT and Qwen users moved to Codex."])
    assert tags.companies == ("Google",) and not tags.suggested


def test_unknown_companies_are_discovered_from_their_context(tagger):
    tags = tagger.tag(
        "",
        [
            "The fintech startup Quillpay raised money.",
            "The company signed agreements with Eneco, Luminus and Renner.",
            "Hackers hit the nursery chain Kido.",
        ],
    )
    assert tags.discovered == ("Quillpay", "Eneco", "Luminus", "Renner", "Kido")
    assert set(tags.companies) == set(tags.discovered)


def test_people_places_and_public_bodies_are_not_discovered(tagger):
    tags = tagger.tag(
        "",
        [
            "At DevDay, CEO Sam Altman announced new plans.",
            "The firm signed deals with Kazakhstan and Southeast Asia partners.",
            "The European Commission has launched a strategy, the FBI warned.",
        ],
    )
    assert tags.companies == () and tags.suggested == ()
    assert tags.organisations == ("European Commission", "Federal Bureau of Investigation")


def test_weak_contexts_are_only_suggested(tagger):
    tags = tagger.tag("", ["Zentrix Systems announced a chip.", "Then Borvane announced a deal."])
    assert tags.companies == () and set(tags.suggested) == {"Zentrix Systems", "Borvane"}


def test_companies_in_the_headline_come_first(tagger):
    tags = tagger.tag("Mastercard expands AI", ["Visa grew. Visa said so. Mastercard agreed."])
    assert tags.companies == ("Mastercard", "Visa")


def test_topics_need_enough_weighted_evidence_and_the_lead_counts_double(tagger):
    body = ["The firm opened an office.", "A ransomware attack hit it once."]
    assert tagger.tag("", body).topics == ()
    assert tagger.tag("Ransomware attack", body).topics[0] == "Cybersecurity"
    assert tagger.tag("", body[::-1]).topics[0] == "Cybersecurity"  # the lead sentence stands in for a headline
    tags = tagger.tag(
        "",
        [
            "Hackers used ransomware and malware; the cybersecurity breach exposed personal data "
            "and user data. Police made arrests for fraud and extortion."
        ],
    )
    assert tags.topics[0] == "Cybersecurity"
    assert {"Data protection and privacy", "Cybercrime and fraud"} <= set(tags.topics)
    assert 1 <= len(tags.topics) <= 4


def test_a_company_sector_supports_a_topic_the_text_names(tagger):
    body = ["{} opened an office in Leeds.", "It serves merchants and handles payments."]
    assert "Payments and fintech" in tagger.tag("", [p.format("Monzo") for p in body]).topics
    assert "Payments and fintech" not in tagger.tag("", [p.format("Zentrix") for p in body]).topics
    assert tagger.tag("", ["Monzo opened an office in Leeds."]).topics == ()  # a sector alone is no evidence


def test_the_story_s_actor_weighs_more_than_a_company_named_in_passing(tagger):
    lead = ["OpenAI has agreed to buy io, a hardware start-up, for $6.5 billion.", "The team joins OpenAI."]
    assert "Artificial intelligence" in tagger.tag("", lead).topics  # the AI company is the actor of the lead
    passing = ["Io, a hardware start-up, was sold for $6.5 billion.", "Its founder once worked with OpenAI."]
    assert "Artificial intelligence" not in tagger.tag("", passing).topics
    named = ["Builder.ai, a London start-up, has filed for insolvency.", "It said its AI wrote the software."]
    assert "Artificial intelligence" in tagger.tag("", named).topics  # an AI company by its name


def test_a_competition_case_is_recognised_without_the_word_antitrust(tagger):
    tags = tagger.tag(
        "",
        [
            "The regulator ordered the company to stop paying phone makers to preinstall its search "
            "app as the default search engine.",
            "Rival services were shut out, it said.",
        ],
    )
    assert "Competition and antitrust" in tags.topics
    robotaxi = tagger.tag("", ["Baidu will supply robotaxis to Lyft.", "The driverless cars launch next year."])
    assert "Robotics" not in robotaxi.topics and "Autonomous vehicles and mobility" in robotaxi.topics


def test_the_automaton_is_built_once_and_reused(tagger, monkeypatch):
    built, automaton_type = [], ahocorasick.Automaton
    monkeypatch.setattr(builder.registry.ahocorasick, "Automaton", lambda *a: built.append(a) or automaton_type(*a))
    for _ in range(3):
        tagger.tag("Google and Visa", ["Google DeepMind and Meta."])
    assert built == []
    assert isinstance(tagger.matcher.automaton, automaton_type)
    assert tagger.matcher.automaton.exists(" google deepmind ")


def test_suggestions_report_counts_and_gives_pasteable_yaml():
    tags = {"a": Tags((), ("Kido",), ("Kido",), ("Zentrix Systems",), ()), "b": Tags((), ("Kido",), ("Kido",), (), ())}
    text = suggestions_report(tags)
    assert "Kido  (2 articles: a, b)" in text and "Zentrix Systems  (1 article: a)" in text
    snippet = text.split("data/companies.yaml (delete the ones that are not companies):\n")[1].split("\n\n")[0]
    assert yaml.safe_load(snippet) == [
        {"name": "Kido", "slug": "kido"},
        {"name": "Zentrix Systems", "slug": "zentrix-systems"},
    ]
    assert "every company named" in suggestions_report({"a": Tags((), (), (), (), ())})


def test_unknown_firms_listed_with_known_ones_are_companies(tagger):
    tags = tagger.tag("", ["Investors DST Global, Andreessen Horowitz, Quillpay and Nvidia took part."])
    assert set(tags.companies) == {"DST Global", "Andreessen Horowitz", "Quillpay", "Nvidia"}
    assert tagger.tag("", ["Spain, Cyprus and Georgia froze accounts."]).companies == ()


def test_apposition_and_round_cues_name_unknown_firms(tagger):
    assert companies(tagger, "Lyten, a US battery start-up from San Jose, will buy the plant.") == ("Lyten",)
    assert companies(tagger, "The round was led by Parkway Capital and Orbix Ventures.") == (
        "Parkway Capital",
        "Orbix Ventures",
    )
    assert companies(tagger, "The authors, led by Andrea Bartz, sued.") == ()  # people lead groups too


def test_names_do_not_run_across_a_sentence_end(tagger):
    tags = tagger.tag("", ["The round was co-led by Zentro Partners. Investors such as Orbix Holdings joined."])
    assert set(tags.companies) == {"Zentro Partners", "Orbix Holdings"}


def test_named_divisions_are_their_own_terms_and_products_of_others_are_not(tagger):
    assert companies(tagger, "The fund was backed by Intel Capital.") == ("Intel Capital",)
    assert companies(tagger, "Intel Capital and Intel both invested.") == ("Intel Capital", "Intel")
    assert companies(tagger, "Tencent blocked Nvidia's RTX chips.") == ("Tencent", "Nvidia")
    assert companies(tagger, "Users of its mobile money platform, MoMo, were not affected.") == ()


def test_threat_actors_are_never_companies_and_support_their_topics(tagger):
    tags = tagger.tag(
        "",
        [
            "Microsoft said Linen Typhoon and Storm-2603 exploited the flaw.",
            "The Qilin gang, tracked as UNC4393, later struck a brewer. Akira followed.",
        ],
    )
    assert tags.companies == ("Microsoft",)
    assert set(tags.threat_actors) == {"Linen Typhoon", "Storm-2603", "Qilin", "UNC4393", "Akira"}
    assert "Cybercrime and fraud" in tags.topics
    assert tagger.tag("", ["Royal Mail delayed parcels."]).threat_actors == ()


def test_ordinary_word_companies_in_company_contexts(tagger):
    assert companies(tagger, "Circle, which issues USDC, welcomed the law.") == ("Circle",)
    assert companies(tagger, "Investors included Arm, Microsoft and Oracle.") == ("Arm", "Microsoft", "Oracle")
    assert companies(tagger, "Arm the staff with better tools.") == ()


def test_the_subject_of_the_lead_speaking_for_itself_is_a_company(tagger):
    lead = "Quillo Card has said a hack exposed the card numbers of 2 million members."
    assert companies(tagger, lead, "Regulators are investigating.", title="Quillo Card says data leaked") == (
        "Quillo Card",
    )
    assert companies(tagger, lead, "Regulators are investigating.") == ()  # named once: not enough
    assert companies(
        tagger, "OpenAI has agreed to buy io.", "Altman said the deal was big.", "Sam Altman said so twice."
    ) == ("OpenAI",)  # a person's surname is not a firm


def test_a_firm_in_a_role_of_its_own_is_not_a_product(tagger):
    assert "Viola Credit" in companies(
        tagger, "Orbix, a London start-up, has filed for insolvency after its lender Viola Credit seized its cash."
    )
    assert companies(tagger, "MTN expanded its mobile money app MoMo to Ghana.") == ("MTN",)
    assert "Brightwell Capital" in companies(
        tagger, "Quillpay sold shares worth $1.4 billion, most of them for investors led by Brightwell Capital."
    )


def test_a_topic_the_lead_names_needs_less_evidence_than_one_the_body_mentions(tagger):
    lead = ["Hackers hit Acme, the retailer said.", "Staff had to reset every password."]
    assert tagger.tag("", lead).topics == ("Cybersecurity",)
    body = ["Acme opened a store in Leeds.", "Hackers once hit it, and staff had to reset every password."]
    assert tagger.tag("", body).topics == ()


def countries(tagger, *paragraphs, title=""):
    return tagger.tag(title, list(paragraphs)).countries


def test_countries_by_name_short_form_and_demonym_most_named_first(tagger):
    assert countries(tagger, "Regulators in Portugal and the U.S. fined a Belgian insurer. Portugal appealed.") == (
        "Portugal",
        "United States",
        "Belgium",
    )
    assert countries(tagger, "A Chinese carmaker opened a plant; the UK and Britain welcomed it.") == (
        "United Kingdom",
        "China",
    )
    assert countries(tagger, "Seoul said South Korea and Korea agreed with the Russian Federation.") == (
        "South Korea",
        "Russia",
    )


def test_the_eu_is_a_region_named_also_by_its_institutions(tagger):
    assert countries(tagger, "The European Commission opened a case.") == ("European Union",)
    assert countries(tagger, "EU ministers met; Europe and European users were mentioned.") == ("European Union",)


def test_cities_company_names_languages_and_other_places_are_not_countries(tagger):
    assert countries(tagger, "A court in Madrid and a lab in Lyon ruled on Tuesday.") == ()
    assert countries(tagger, "British Airways and Bank of America signed a deal.") == ()
    assert countries(tagger, "A Russian-speaking gang hit firms in New Jersey, New Mexico and North America.") == ()
    assert countries(tagger, "The Competition Commission of India fined the company.") == ("India",)


def test_a_name_that_is_also_a_word_needs_a_second_form(tagger):
    assert countries(tagger, "Michael Jordan spoke to Chad Smith in Georgia.") == ()
    assert countries(tagger, "Georgia's parliament passed a law, the Georgian premier said.") == ("Georgia",)


def test_investors_a_round_was_raised_from_are_companies(tagger):
    tags = tagger.tag("", ["Quillpay had raised $40 million from Brightwater Partners, Orbix and Zentro Ventures."])
    assert {"Brightwater Partners", "Orbix", "Zentro Ventures"} <= set(tags.companies)


def test_a_named_unit_or_division_of_a_firm_is_a_company(tagger):
    tags = tagger.tag("", ["The attack hit its Kappa Health unit and Orbix's Zentro division, not its CRM unit."])
    assert set(tags.discovered) == {"Kappa Health", "Zentro"}


def test_firm_nouns_in_apposition_and_groups_that_are_no_firms(tagger):
    tags = tagger.tag("", ["Brightline, a designer of server chips, and the brewing group Hopwell signed a deal."])
    assert {"Brightline", "Hopwell"} <= set(tags.discovered)
    assert companies(tagger, "The hacking group Grey Vixen and the advocacy group Fair Code spoke.") == ()


def test_a_firm_whose_name_shares_a_word_with_another_is_not_taken_for_a_person(tagger):
    text = "Orbix Natural Foods, the main supplier for Whole Foods Market, was hit. Whole Foods said shelves were bare."
    assert "Orbix Natural Foods" in companies(tagger, text)


def test_a_leading_word_that_belongs_to_the_name_is_kept(tagger):
    text = ["Under Pressure Apparel is investigating a breach.", "Data of Under Pressure Apparel customers leaked."]
    assert companies(tagger, *text) == ("Under Pressure Apparel",)


def test_the_lead_subject_with_a_corporate_word_counts_when_its_core_recurs(tagger):
    text = ["Zentrohealth Group has said an attack exposed data.", "Zentrohealth paid a ransom."]
    assert companies(tagger, *text) == ("Zentrohealth Group",)


def test_short_forms_of_a_known_longer_name_and_demonyms_are_not_new_firms(tagger):
    tags = tagger.tag("", ["Epic Games won. A French court said Epic could return, the Spanish regulator agreed."])
    assert tags.companies == ("Epic Games",) and tags.discovered == ()


def test_a_breach_at_a_payments_firm_is_also_a_payments_story(tagger):
    found = topics(
        tagger,
        "Quillpay, a Lisbon payments start-up, said hackers stole card numbers and email addresses of 40,000 "
        "customers.",
        "The company said payment cards would be reissued.",
    )
    assert {"Payments and fintech", "Cybersecurity", "Data protection and privacy"} <= set(found)


def test_a_regulator_s_fine_is_about_its_field_not_digital_policy(tagger):
    found = topics(
        tagger,
        "The Ruritanian data protection authority has fined Orbix €3 million for processing personal data "
        "without consent.",
        "The regulator said Orbix must delete the data.",
    )
    assert found == ("Data protection and privacy",)


def test_competition_cases_in_plain_words_and_age_limits_are_recognised(tagger):
    assert "Competition and antitrust" in topics(
        tagger,
        "Ruritania's markets watchdog has fined Orbix, finding that it imposed unfair terms on hotels and kept "
        "would-be rivals from gaining ground.",
    )
    assert "Online safety and child protection" in topics(
        tagger, "Ruritania will ban social media for children under 15 and require platforms to verify users' ages."
    )


def test_a_model_launch_by_a_platform_is_an_ai_story(tagger):
    found = topics(tagger, "Orbix has released Zeta 2, its new large language model.", title="Orbix launches Zeta 2")
    assert found[0] == "Artificial intelligence"


def test_threat_actors_named_by_themselves_by_the_text_or_by_a_vendor_code(tagger):
    tags = tagger.tag(
        "",
        [
            "A group calling itself Grey Vixen claimed the attack on Quillpay, a payments start-up.",
            "The Moth Kingdom ransomware gang and the extortion group Velvet Hand were blamed; analysts track them "
            "as FIN13, DEV-1234 and GTG-2001.",
        ],
    )
    assert set(tags.threat_actors) == {"Grey Vixen", "Moth Kingdom", "Velvet Hand", "FIN13", "DEV-1234", "GTG-2001"}
    assert tags.companies == ("Quillpay",)


def test_a_subsidiary_written_with_its_legal_suffix_is_its_own_term_with_its_parent(tagger):
    tags = tagger.tag("", ["The regulator fined Meta Platforms Ireland Limited €251 million. Meta will appeal."])
    assert set(tags.companies) == {"Meta Platforms Ireland", "Meta"}  # not "Ireland Limited"
    assert tags.parents == (("Meta Platforms Ireland", "Meta"),)
    snippet = suggestions_report({"a": tags}).split("(delete the ones that are not companies):\n")[1].split("\n\n")[0]
    assert yaml.safe_load(snippet) == [
        {"name": "Meta Platforms Ireland", "slug": "meta-platforms-ireland", "parent": "Meta"}
    ]
    # the text itself calls the part a division
    tags = tagger.tag("", ["Microsoft AI, the division led by a co-founder of DeepMind, released two models."])
    assert "Microsoft AI" in tags.companies and ("Microsoft AI", "Microsoft") in tags.parents
    assert "Microsoft Edge" not in companies(tagger, "Microsoft Edge, the browser, gained a feature.")


def test_a_legal_form_marks_a_firm_but_is_no_part_of_its_name(tagger):
    # one firm, one term: "Inc" and "Inc." do not make two, and the name is the firm's own
    assert companies(
        tagger, "The Treasury sanctioned Vortelo Technology Inc. Vortelo Technology Inc hosted the scam sites."
    ) == ("Vortelo Technology",)
    assert companies(tagger, "Zentrio Payments Ltd said the outage was over.") == ("Zentrio Payments",)
    assert companies(tagger, "Investors backed Orbixa GmbH in Berlin.") == ("Orbixa",)
    # "Corp." before a comma and "Corp" at a sentence's end: one firm, named without the form
    found = companies(
        tagger, "Tessaro Industries Corp., a parts supplier, was hit. Lines stopped at Tessaro Industries Corp."
    )
    assert found == ("Tessaro Industries",)


def test_the_object_of_a_fine_or_a_suit_is_a_company(tagger):
    assert companies(tagger, "France's competition authority has fined Zentrio €4.7 million.") == ("Zentrio",)
    assert "Orbixa" in companies(tagger, "Albertsons sued Orbixa, accusing it of breaking the deal.")
    assert "Quillpay" in companies(tagger, "Consumer groups filed a complaint against Quillpay in Paris.")
    assert set(companies(tagger, "The Commission fined Zentrio and Quorvia €10 million.")) == {"Zentrio", "Quorvia"}
    # a name that qualifies the firm, and a person's name, are not taken for the firm fined
    assert "Replika" not in companies(tagger, "Italy fines Replika developer Luka Inc €5 million.")
    assert companies(tagger, "The commission fined Jane Doherty £5,000 for the leak.") == ()


def test_a_rival_and_rivals_named_after_the_word_are_companies(tagger):
    assert "Monvisit" in companies(tagger, "Doctolib bought its rival Monvisit in 2018 to eliminate it.")
    found = companies(tagger, "Resellers moved orders to rivals Tessaro and D&H while the outage lasted.")
    assert set(found) == {"Tessaro", "D&H"}


def test_brand_names_with_a_lower_case_first_letter_are_found_from_context(tagger):
    assert "iRobot" in companies(tagger, "Amazon and iRobot have called off the $1.4 billion deal.")
    assert "eToro" in companies(tagger, "Shares of eToro opened at $69.69 on the Nasdaq.")
    assert companies(tagger, "Funding went to mRNA research and eSports leagues.") == ()
    assert "loanQuill" in companies(tagger, "Mortgage lender loanQuill disclosed a ransomware attack.")


def test_two_names_opening_a_sentence_as_its_subject_are_both_firms(tagger):
    assert set(companies(tagger, "Vodafone and Hutchwell have completed their merger.")) == {"Vodafone", "Hutchwell"}
    assert companies(tagger, "Vodafone and Brussels are at odds.") == ("Vodafone",)  # a place is no firm


def test_the_leads_subject_is_found_behind_an_apposition_or_an_opening_clause(tagger):
    lead = "Tessaro, one of the world's largest distributors of IT products, has restored ordering."
    assert companies(tagger, lead) == ("Tessaro",)
    lead = "Hollmark, the Dutch-Belgian owner of two supermarket chains, has told regulators data was stolen."
    assert companies(tagger, lead) == ("Hollmark",)
    lead = "Following a breach at a supplier, Marlow has told 430,000 customers their data was stolen. Marlow said"
    assert companies(tagger, lead + " it would not pay.") == ("Marlow",)
    lead = "Delwin Air Lines has sued CrowdStrike over the outage. Delwin says it lost $500 million."
    assert set(companies(tagger, lead)) == {"Delwin Air Lines", "CrowdStrike"}
    person = "Jane Doherty, the company's chief executive, said the plan works. Doherty said more."
    assert companies(tagger, person) == ()


def test_a_breach_that_names_the_personal_data_taken_is_about_data_protection(tagger):
    lead = "Hollmark has told regulators that the contact details of 2 million customers were stolen."
    assert "Data protection and privacy" in tagger.tag("", [lead]).topics
    # a gang named in the story settles cybercrime, and does not crowd out what the words say
    gang = lead + " The Qilin ransomware gang claimed the ransomware attack."
    topics = tagger.tag("", [gang]).topics
    assert "Cybercrime and fraud" in topics and "Data protection and privacy" in topics


def test_an_outage_alone_does_not_make_a_story_about_cloud(tagger):
    text = "Three people died after emergency calls failed during an Optus network outage, the carrier said."
    assert "Cloud and data centres" not in tagger.tag("Optus outage linked to three deaths", [text]).topics


def test_products_before_their_maker_and_people_by_surname_are_not_firms(tagger):
    assert companies(tagger, "Investors bought shares of iPhone maker Apple.") == ("Apple",)
    assert companies(tagger, "Brussels fines Big Tech firms for breaches of the rules.") == ()
    text = "Elon Musk bought the site in 2022. A court has sued Musk, the owner of X, over the deal."
    assert "Musk" not in companies(tagger, text)
    assert "Musk" not in companies(tagger, "Elon Musk spoke. Apple and Musk have clashed over the App Store.")


def test_a_name_that_qualifies_a_firm_noun_is_the_firm(tagger):
    assert companies(tagger, "Two teenagers were arrested over the theft of data at the Zendo nursery chain.") == (
        "Zendo",
    )
    text = "ASML led a round in the French AI start-up Mistral AI; the GPU maker and the Zenlab platform joined."
    assert "French AI" not in companies(tagger, text) and "GPU" not in companies(tagger, text)
    assert "Zenlab" not in companies(tagger, text)  # a platform is a product as often as a firm


def test_a_partner_listed_among_others_lends_the_story_no_sector(tagger):
    lead = "G42, OpenAI, Oracle, Nvidia, Cisco and SoftBank will build an AI computing cluster in Abu Dhabi."
    assert "Semiconductors" not in tagger.tag("OpenAI and G42 to build a data centre", [lead]).topics
    assert "Semiconductors" in tagger.tag("", ["Nvidia has unveiled a new AI chip for data centres."]).topics


def test_public_bodies_the_registry_lacks_are_discovered_by_their_form(tagger):
    tags = tagger.tag(
        "",
        [
            "The Lusitanian Telecoms Authority has fined Quillpay, and the Ministry of Ports, Roads and Transport "
            "said it would review the deal.",
            "Researchers at Borvale University and the Institute for Trust and Open Networks disagreed; "
            "Ruritania's data protection office, the RDPO, and the KSB security service opened inquiries.",
        ],
    )
    assert tags.organisations == (
        "Lusitanian Telecoms Authority",
        "Ministry of Ports, Roads and Transport",
        "Borvale University",
        "Institute for Trust and Open Networks",
        "RDPO",
        "KSB",
    )
    assert not {"Lusitanian Telecoms Authority", "RDPO", "KSB"} & set(tags.companies + tags.suggested)


def test_a_kind_of_body_is_not_discovered_as_a_body(tagger):
    tags = tagger.tag(
        "",
        [
            "The Supreme Court and a US District Court ruled; the Competition Commission and the Office Depot "
            "Board of Directors met at the Crane Energy Center. CEO Ana Lima of the company said so.",
        ],
    )
    assert tags.organisations == ("Supreme Court",)  # the registry's entry, nothing discovered


def test_product_features_are_never_companies(tagger):
    tags = tagger.tag(
        "",
        [
            "Google has added Circle to Search, a feature that finds what is on screen, and Apple Pay now works "
            "in Lisbon. Google bundles its suite of apps, including Lumo, Chrome and YouTube.",
            "Helen Brant of the Institute for Secure and Emerging Technology said so.",
        ],
    )
    assert "Google" in tags.companies
    assert not {"Circle", "Apple Pay", "Lumo", "Emerging Technology"} & set(tags.companies + tags.suggested)
    assert "Institute for Secure and Emerging Technology" in tags.organisations


def test_a_list_with_a_discovered_firm_names_firms(tagger):
    tags = tagger.tag(
        "",
        [
            "Car retailers Quorvex Automotive Group, Delmar Automotive, Zentrak Motors, Ovalnet and Brisco "
            "Holdings said their systems were down.",
            "A stake went to the Lusitanian pension fund Pradex, alongside Fonds Mutuel de Placements, an "
            "investment fund.",
        ],
    )
    assert {"Quorvex Automotive Group", "Delmar Automotive", "Zentrak Motors", "Ovalnet", "Pradex"} <= set(
        tags.companies
    )
    assert "Placements" not in tags.companies + tags.suggested


def test_a_division_name_runs_on_with_a_firms_word(tagger):
    tags = tagger.tag("", ["Samsung Display Solutions will supply the panels, Samsung said."])
    assert "Samsung Display Solutions" in tags.companies
    assert ("Samsung Display Solutions", "Samsung") in tags.parents


def test_a_number_inside_a_name_is_part_of_it_and_a_models_name_is_no_firm(tagger):
    lead = "Shares of Nine 42 Holdings Ltd, the owner of the Quillpay app, fell 8% on Monday. Nine 42 said it would appeal."
    assert companies(tagger, lead) == ("Nine 42 Holdings",)
    recall = "The recall covers Zephyr S, Zephyr X, Zephyr 5 and Zephyr Y cars built since 2019, Acme Motors said."
    assert companies(tagger, recall, "The Zephyr 5 is its best seller.") == ("Acme Motors",)


def test_a_known_firm_before_entertainment_is_the_firm_itself(tagger):
    tags = tagger.tag("", ["Netflix Entertainment has told regulators it found unauthorised access. Netflix said so."])
    assert tags.companies == ("Netflix",) and tags.parents == ()


def test_names_the_text_calls_a_body_or_a_criminal_service_are_no_firms(tagger):
    deals = "Amazon signed deals with Zentro Northwest, a consortium of public utilities in Oregon."
    assert companies(tagger, deals) == ("Amazon",)
    seized = "Police have seized Vexmart Bazaar, an invitation-only marketplace that sold stolen logins to criminals."
    assert companies(tagger, seized) == ()


def test_a_bank_and_trust_is_one_firm_and_its_first_word_the_same_firm(tagger):
    text = "Synapse filed for bankruptcy after a dispute with Quillon Bank & Trust. Quillon, Visa and Stripe said so."
    assert "Quillon Bank & Trust" in companies(tagger, text) and "Quillon" not in companies(tagger, text)


def test_a_known_firms_name_inside_a_persons_name_is_no_firm(tagger):
    text = "Chief executive Kelly Bayer Rosmarin said Optus was sorry. Bayer shares rose."
    assert companies(tagger, text) == ("Optus", "Bayer")
    assert companies(tagger, "Chief executive Kelly Bayer Rosmarin said Optus was sorry.") == ("Optus",)
    assert companies(tagger, "The fine was paid.", title="Regulators Fine Uber Over Data Transfers") == ("Uber",)


def test_the_european_union_is_tagged_as_a_country_not_as_an_organisation(tagger):
    tags = tagger.tag("EU fines Acme", ["The EU said Acme broke its rules; the European Commission will monitor it."])
    assert "European Union" in tags.countries and "European Union" not in tags.organisations
    assert "European Commission" in tags.organisations


def test_firm_like_head_words_name_a_body_only_with_public_evidence(tagger):
    tags = tagger.tag("", ["The Federal Grain Storage Corporation and the Skating Association of Canada sued Zentro."])
    assert {"Federal Grain Storage Corporation", "Skating Association of Canada"} <= set(tags.organisations)
    tags = tagger.tag("", ["Kappa Electric Corporation and the Quill Parents Association praised Zentro."])
    assert tags.organisations == ()


def test_a_common_given_name_opens_a_persons_name_not_a_firms(tagger):
    text = "Daniel Whitcombe, the head of Zentrova's European business, told lawmakers the outage was fixed."
    assert "Daniel Whitcombe" not in tagger.tag("", [text]).discovered
    held = "Visa and Farid Osterhaus, a Dutch-Kenyan who runs the company's African business, were held in Abuja."
    assert "Farid Osterhaus" not in tagger.tag("", [held]).discovered
    bought = "Darkline has agreed to be bought by the US private equity firm Thomas Quarry in a cash deal."
    assert "Thomas Quarry" in tagger.tag("", [bought]).discovered  # the text calls it a firm


def test_nationalities_and_generic_fragments_are_no_firms(tagger):
    text = (
        "Quillpay, a Peruvian payments start-up, and the Korean Zentro Technology Co. said the British AI "
        "company Orbixa Labs had joined; Digital Media and Entertainment Group units were not part of it."
    )
    found = set(tagger.tag("", [text]).discovered)
    assert {"Quillpay", "Orbixa Labs"} <= found
    assert not found & {"Peruvian", "Korean", "British AI", "Technology Co", "Digital Media", "Entertainment Group"}
    region = "Quillpay complained. The Latin American e-commerce group said it would appeal."
    assert "Latin American" not in tagger.tag("", [region]).discovered


def test_a_discovered_name_drops_every_legal_form(tagger):
    text = "Quillora Learn Pvt Ltd, an Indian education technology company, filed for insolvency."
    assert tagger.tag("", [text]).discovered == ("Quillora Learn",)
    owner = "The exchange sought protection through Zentrai Pte Ltd, the company that owns it."
    assert tagger.tag("", [owner]).discovered == ("Zentrai",)  # Singapore's "Pte Ltd" is a legal form too


def test_listed_companies_are_tagged_when_named_once_without_a_cue(tagger):
    text = "Regulators in Stockholm said Alfa Laval and Aixtron must report the outage by Friday."
    assert companies(tagger, text) == ("Alfa Laval", "Aixtron")
    # a listed name that is also a word needs the text to treat it as a firm
    assert companies(tagger, "The Orion nebula is visible in winter.") == ()


def test_an_acronym_written_only_inside_another_firms_name_is_not_its_registry_firm(tagger):
    other = "The exchange moved its clients to SBI Zentro Trade, a unit of SBI Quillbank Holdings, in March."
    assert "State Bank of India" not in companies(tagger, other)
    assert "State Bank of India" in companies(tagger, "SBI said the outage at SBI Zentro Trade was over.")
    operators = "The app store was founded by SK Telecom, KT and LG Quillplus."
    assert "LG Electronics" not in companies(tagger, operators)
    assert "LG Electronics" in companies(tagger, "LG Electronics said its LG Quillplus unit was hit. LG will pay.")


def test_small_caps_are_listed_by_their_full_names_and_a_word_of_a_foreign_name_is_not_one(tagger):
    text = "Dealers such as Group 1 Automotive said the outage at the software supplier was over."
    assert companies(tagger, text) == ("Group 1 Automotive",)
    # a small cap's short form can be another firm's ("Digi" of Digi International): full names only
    assert companies(tagger, "Digi can grow into a fourth network operator.") == ()
    # "Medios" (a listed German firm) as a word of a Spanish body's name
    assert companies(tagger, "Publishers in the Asociación de Medios de Información sued Meta.") == ("Meta",)


def test_a_list_of_people_is_not_a_list_of_firms(tagger):
    text = (
        "Founded in 2021 by Torben Quaile, Gundolf Marr and Niklas Ostergaard, Helsing builds software. "
        "Retailers such as Harvey Norman, JB Hi-Fi and David Jones said sales fell."
    )
    found = set(tagger.tag("", [text]).companies)
    assert not found & {"Torben Quaile", "Gundolf Marr", "Niklas Ostergaard"}
    assert {"Helsing", "Harvey Norman", "JB Hi-Fi", "David Jones"} <= found  # a list of firms stays one


def test_a_listed_name_before_a_model_number_and_a_product_noun_is_a_product(tagger):
    phone = "The phone runs on a Kirin 9000s processor made in China, Huawei said."
    assert companies(tagger, phone) == ("Huawei",)
    assert "Kirin" in companies(tagger, "Kirin said its beer sales in Japan rose.")


def test_a_part_of_a_firm_the_text_calls_a_unit_is_its_own_term_with_its_parent(tagger):
    arm = "Prosecutors say Kakao and its entertainment arm, Kakao Quillworks, bought the shares."
    tags = tagger.tag("", [arm])
    assert "Kakao Quillworks" in tags.companies and ("Kakao Quillworks", "Kakao") in tags.parents
    food = "Jumia will shut down Jumia Food in seven countries. The food delivery unit never made money."
    tags = tagger.tag("", [food])
    assert "Jumia Food" in tags.companies and ("Jumia Food", "Jumia") in tags.parents
    assert "Jumia Food" not in companies(tagger, "Jumia will shut down Jumia Food in seven countries.")


def test_a_listed_firm_whose_name_opens_with_a_place_is_listed(tagger):
    text = "The carrier said Japan Airlines delayed 20 flights after the attack."
    assert companies(tagger, text) == ("Japan Airlines",)


def test_an_ordinary_word_firm_given_as_a_things_name_is_not_the_firm(tagger):
    assert companies(tagger, "OpenAI paused one of its voices, called Sky, after complaints.") == ("OpenAI",)
    assert companies(tagger, "He sold the studio to a company called Sky last year.") == ("Sky",)


def test_a_name_the_text_calls_its_division_in_apposition_is_a_company(tagger):
    text = "BT Group needs fewer engineers once Quillreach, its network division, has connected homes to fibre."
    assert "Quillreach" in companies(tagger, text)
    person = "Zentro said Maria Quell, its chief executive, would stay."
    assert "Maria Quell" not in companies(tagger, person)


def test_a_body_the_text_calls_a_regulator_is_an_organisation_not_a_firm(tagger):
    text = (
        "Germany's financial regulator BaFel has fined Quillbank over late reports, BaFel said. "
        "Quillbank said BaFel would lift the cap. BaFel said it was satisfied."
    )
    tags = tagger.tag("", [text])
    assert "BaFel" in tags.organisations and "BaFel" not in tags.companies


def test_a_one_word_subject_that_speaks_again_and_again_is_a_firm(tagger):
    text = (
        "Kenya ordered Worldlink to stop signing up users after people queued to have their irises scanned. "
        "Police raided a Worldlink warehouse and took documents.\n"
        "Worldlink said it was committed to working with regulators."
    )
    assert "Worldlink" in companies(tagger, text)
    once = "Kenya ordered an end to the scans. Worldlink said it was committed to working with regulators."
    assert "Worldlink" not in companies(tagger, once)  # named once, after the lead: too little


def test_a_named_unit_of_a_known_firm_is_a_company(tagger):
    text = "Merchants moved business to cheaper rivals such as PayPal's Quilltree unit, Adyen said."
    assert "Quilltree" in companies(tagger, text)
    assert "Pay" not in companies(tagger, "Users of PayPal's Pay Later feature complained.")  # no unit


def test_a_name_that_speaks_after_a_which_clause_and_recurs_is_a_firm(tagger):
    text = (
        "The FTC banned the pharmacy chain from using facial recognition.\n"
        "From 2012 to 2020, the FTC said, Quill Aid used the technology in hundreds of stores. "
        "Quill Aid did not test it.\n"
        "Quill Aid, which is in bankruptcy proceedings, said it disagreed with the allegations."
    )
    assert "Quill Aid" in companies(tagger, text)


def test_a_pair_after_a_preposition_with_a_known_firm_names_two_firms(tagger):
    assert "Quillgear" in companies(tagger, "Most routers had been sold by Cisco and Quillgear.")
    assert "Quillgear" not in companies(tagger, "Most routers had been sold by Cisco and Quillgear Street shops.")


def test_rivals_named_after_competition_from_or_competes_with_are_firms(tagger):
    text = "Ola Electric faces rising competition from Quill Motor, Zentro Auto and Orbix Energy."
    assert {"Quill Motor", "Zentro Auto", "Orbix Energy"} <= set(companies(tagger, text))
    owned = "The operator will compete with Elonzo Marsk's Starlink in Europe."
    assert "Elonzo Marsk" not in companies(tagger, owned)


def test_two_subjects_that_also_did_something_are_both_firms(tagger):
    text = "Cloudflare and 1Quillword also detected attempts to use stolen tokens against their systems."
    assert companies(tagger, text) == ("Cloudflare", "1Quillword")


def test_firms_named_as_subsidiaries_are_companies(tagger):
    text = "Lines at its subsidiaries Quillhatsu and Hino Motors also stopped, Toyota said."
    assert "Quillhatsu" in companies(tagger, text)


def test_a_sentence_listing_who_also_took_part_in_a_round_names_investors(tagger):
    text = (
        "Quillbolt has raised €628 million in a round led by Sequoia Capital.\n"
        "Whale Quill, Owl Zentro, a division of Blue Orbix, Q1, G Quartz and the investor Elad Quill also took part."
    )
    found = set(companies(tagger, text))
    assert {"Whale Quill", "Owl Zentro", "Blue Orbix", "Q1", "G Quartz"} <= found
    assert "Elad Quill" not in found  # a person, as the text says
    no_round = "Whale Quill, Owl Zentro and G Quartz also took part in the protest."
    assert companies(tagger, no_round) == ()


def test_an_apposition_after_a_country_s_possessive_and_a_name_joined_by_and(tagger):
    text = "Quillstar, Ukraine's largest mobile operator, was knocked offline for several days."
    assert "Quillstar" in companies(tagger, text)
    joined = "Zentro Health and Allied Quillsurance, India's largest health insurer, has sued Telegram."
    found = companies(tagger, joined)
    assert "Zentro Health and Allied Quillsurance" in found and "Allied Quillsurance" not in found


def test_a_firm_the_text_says_is_now_called_a_name_is_that_name(tagger):
    text = "The deal values the network company, now called Quillcop, at up to €22 billion."
    assert "Quillcop" in companies(tagger, text)


def test_a_name_the_text_calls_a_firm_may_hold_words_of_bodies_names(tagger):
    text = "The round was led by Quill Partners International, a London-based private equity firm."
    assert "Quill Partners International" in companies(tagger, text)
    listed = "Evolve, Lineage Bank, Zentro National Trust and American Bank have blamed the ledgers."
    assert "Zentro National Trust" in companies(tagger, listed)
    body = "The ruling was welcomed by the National Quill Authority, a regulator, and by Zentro."
    assert "National Quill Authority" not in companies(tagger, body)


def test_a_short_name_the_text_also_writes_in_full_is_the_full_name(tagger):
    text = (
        "Prosecutors say Kakao rigged the share price of QM Entertainment last year. "
        "Kakao later won control of QM, the company behind acts such as aespa."
    )
    found = companies(tagger, text)
    assert "QM Entertainment" in found and "QM" not in found


def test_a_firm_s_name_opening_a_sentence_about_the_thing_it_is_named_after_is_the_word(tagger):
    fruit = "Apple growers are testing robots that pick the fruit when an apple is ripe."
    assert companies(tagger, fruit) == ()
    assert companies(tagger, "Apple sued the grower over its apple logo.") == ("Apple",)


def test_what_a_firm_owns_is_a_firm(tagger):
    text = "Regulators blocked a stake in Maziv, the fibre group that owns Quillmatel and Dark Fibre Zentro."
    assert {"Quillmatel", "Dark Fibre Zentro"} <= set(companies(tagger, text))


def test_names_listed_before_a_firm_the_text_describes_are_firms(tagger):
    text = "The spree brought in Quillkash Services, Great Zentro, Toppix and the coding platform Tynker."
    assert {"Quillkash Services", "Great Zentro", "Toppix", "Tynker"} <= set(companies(tagger, text))
