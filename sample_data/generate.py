#!/usr/bin/env python3
"""Generate seeded, fictional applications to the PyImageSearch "Technical Project Manager"
posting (June 2020), shaped like a Cognito Forms export.

Regenerate the committed sample (1,200 applicants, seed 2020) from the repository root:

    python sample_data/generate.py

It writes, into --out (default: the folder this script is in):

    applicants.csv    UTF-8 with BOM, CRLF records, Cognito "internal name" headers,
                      multi-line answers quoted, dates as text "6/24/2020 10:41 AM" (US Eastern)
    applicants.json   a JSON array of entries shaped like Cognito's API / webhook payload
                      (nested Name / Location / Entry, Yes/No as booleans, checkboxes as
                      lists, file uploads as lists of objects, dates in ISO-8601 UTC)
    applicants.xlsx   one sheet "PyImageSearchTechnicalProjectMa", dates as real Excel
                      datetimes, everything else (ids and phones included) as text
    answer_key.json   the entry numbers of every planted trait (strong candidates, duplicate
                      groups, late / incomplete / spam entries, typos, languages ...), for tests

Entry i is the same person in every format. Same arguments => byte-identical files.

Big files for benchmarks stream row by row (constant memory per row; JSON and JSONL stream
too), for example:

    python sample_data/generate.py --rows 1000000 --formats csv --out /tmp/bench
    python sample_data/generate.py --rows 100000 --formats csv,jsonl --basename big --out /tmp

Everything comes from --seed and the hand-written pools below (no Faker, no network).
Needs only the standard library, plus XlsxWriter when .xlsx is requested. All people,
companies, e-mail addresses and phone numbers are invented (US numbers use the 555 exchange,
UK numbers Ofcom's drama ranges).
"""

import argparse
import csv
import hashlib
import json
import random
import sys
import time
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

FORM_NAME = "PyImageSearchTechnicalProjectMa"  # Cognito cuts the internal name to 31 chars
HEADERS = (
    f"{FORM_NAME}_Id",
    "Name_First",
    "Name_Last",
    "Email",
    "Phone",
    "LinkedInProfile",
    "Location_City",
    "Location_State",
    "Location_Country",
    "HighestLevelOfEducation",
    "FieldOfStudy",
    "YearsOfProjectManagementExperience",
    "ProjectManagementCertifications",
    "ProjectManagementToolsYouHaveUsed",
    "HaveYouManagedOrMentoredATeam",
    "CanYouStartByEarlyJuly",
    "FullTimeOrPartTime",
    "WhyAreYouAGreatFitForThisRole",
    "TellUsAboutAProjectYouLedFromIdeaToLaunch",
    "Resume",
    "Entry_Status",
    "Entry_DateCreated",
    "Entry_DateSubmitted",
    "Entry_DateUpdated",
)
DATE_COLUMNS = (21, 22, 23)
XLSX_DATE_FORMAT = "m/d/yyyy h:mm AM/PM"
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit minus the header row
XLSX_CREATED = datetime(2020, 6, 30)

EDUCATION = (
    "High school diploma",
    "Associate degree",
    "Bachelor's degree",
    "Master's degree",
    "Doctorate (PhD)",
    "Other",
)
CERTIFICATIONS = (
    "PMP",
    "PRINCE2",
    "Certified ScrumMaster (CSM)",
    "PMI-ACP",
    "CAPM",
    "Google Project Management Certificate",
    "None",
)
TOOLS = (
    "Jira",
    "Asana",
    "Trello",
    "Basecamp",
    "Monday.com",
    "ClickUp",
    "Microsoft Project",
    "Notion",
    "Other",
)

# All times are US Eastern wall-clock time (EDT, UTC-4, for the whole window).
ORIGIN = datetime(2020, 6, 8)  # minute 0 = Monday 2020-06-08 00:00, the posting's day
UTC_OFFSET = timedelta(hours=4)
DEADLINE_MINUTE = 18 * 1440 + 23 * 60 + 59  # Friday 2020-06-26 11:59 PM, still on time
LATE_START_MINUTE = 19 * 1440  # Saturday 2020-06-27 12:00 AM, the first late minute

# Share of submissions per day, 2020-06-08 .. 2020-06-26 (on time) and 06-27 .. 06-30 (late).
DAY_WEIGHTS_ON_TIME = (
    14, 11, 8, 6.5, 5.5, 3, 3, 5, 4.5, 4, 3.8, 3.5, 2.2, 2.4, 3.6, 3.6, 4, 5, 7.5,
)
DAY_WEIGHTS_LATE = (2.0, 1.0, 0.7, 0.5)
HOUR_WEIGHTS = (
    1.0, 0.7, 0.5, 0.4, 0.4, 0.5, 0.8, 1.3, 2.0, 2.6, 2.9, 3.0,
    2.8, 2.8, 2.7, 2.6, 2.4, 2.2, 2.0, 2.0, 2.1, 2.0, 1.7, 1.3,
)
FIRST_HOUR = 9  # the posting went up on June 8 around 9 AM
LAST_HOUR_JUNE_30 = 17  # the form was switched off on June 30 at 6 PM

# Roles planted by the plan. Shares are of all rows; the rest are "average".
STRONG, GOOD, AVERAGE, WEAK, SHORT, EMPTY, JUNK, SPAM, SPANISH, CHINESE, INCOMPLETE, DUP = range(
    12
)
ROLE_NAMES = (
    "strong", "good", "average", "weak", "short", "empty", "junk", "spam", "spanish",
    "chinese", "incomplete", "duplicate",
)
STRONG_PER_1200 = 13
ROLE_SHARES = (
    (GOOD, 0.12),
    (WEAK, 0.15),
    (SHORT, 0.04),
    (EMPTY, 0.02),
    (JUNK, 0.02),
    (SPAM, 0.05),
    (SPANISH, 0.03),
    (CHINESE, 0.02),
    (INCOMPLETE, 0.01),
)
DUP_SHARE = 0.03
LATE_SHARE = 0.04
TYPO_RATE = 0.25  # of English letters; half of them hold a keyword, so ~10% end up with a typo
SPECIAL_SURNAMES = ("NA", "Null", "None", "True")
DUP_SOURCE_ROLES = frozenset((STRONG, GOOD, AVERAGE, WEAK, SHORT, SPAM, SPANISH, CHINESE))
UNIQUE_CHECK_MAX_ROWS = 250_000  # above this, skip the e-mail/phone uniqueness set (memory)

SPAM_TEXT = (
    "I am very interested in this position and believe I would be a great fit. "
    "Please consider my application."
)
SPAM_PROJECTS = (
    "Please see my resume.",
    "Please refer to my attached resume for details of the projects I have led.",
    "I have led many projects successfully from start to finish.",
)
TYPOS = (
    ("Jira", "Jria"),
    ("stakeholder", "stakeholdr"),
    ("management", "mangement"),
    ("Scrum", "Srcum"),
    ("scrum", "srcum"),
    ("Asana", "Asanna"),
    ("milestones", "milestons"),
)
TYPO_TOKENS = tuple(bad for _, bad in TYPOS)


def _bank(text: str, joiner: str = " ") -> tuple[str, ...]:
    """One entry per line; a line indented by two spaces continues the entry above it."""
    items: list[str] = []
    for line in text.strip("\n").splitlines():
        if not line.strip():
            continue
        if line.startswith("  "):
            items[-1] += joiner + line.strip()
        else:
            items.append(line.strip())
    return tuple(items)


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.replace("_", " ") for w in text.split())


# --------------------------------------------------------------------------- people

# (first names, last names) per naming culture. "_" stands for a space inside a name.
NAMES = {
    "anglo": (
        _words(
            "James Mary Michael Jennifer David Sarah Robert Jessica William Emily Christopher"
            " Ashley Matthew Amanda Daniel Megan Andrew Lauren Joshua Rachel Ryan Stephanie"
            " Brandon Nicole Tyler Heather Kevin Rebecca Jason Katherine Justin Brittany Eric"
            " Samantha Mark Elizabeth Scott Hannah Mary-Kate Jo_Ann"
        ),
        _words(
            "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas"
            " Moore Jackson White Harris Martin Thompson Clark Lewis Walker Hall Allen Young"
            " King Wright Hill Scott Green Adams Baker Nelson Carter Mitchell Roberts Turner"
            " Phillips Campbell Parker Evans Edwards Collins Stewart Morris Rogers Cooper"
            " Peterson Bailey Reed Smith-Jones Fairchild-Hayes"
        ),
    ),
    "hispanic": (
        _words(
            "José María Juan Ana Luis Carmen Carlos Lucía Javier Sofía Miguel Valentina"
            " Alejandro Camila Diego Isabel Andrés Gabriela Fernando Paula Raúl Mariana Jorge"
            " Daniela"
        ),
        _words(
            "García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres"
            " Flores Rivera Gómez Díaz Morales Ortiz Jiménez Ruiz Álvarez Castillo Vargas"
            " Romero Herrera Medina Núñez de_la_Cruz García-López"
        ),
    ),
    "indian": (
        _words(
            "Priya Rahul Ananya Arjun Sneha Vikram Pooja Rohan Kavya Aditya Neha Siddharth"
            " Divya Karthik Lakshmi Amit Deepika Sanjay Meera Harish Aishwarya Venkatesh"
        ),
        _words(
            "Sharma Patel Singh Kumar Reddy Iyer Nair Gupta Mehta Joshi Rao Desai Chatterjee"
            " Banerjee Menon Pillai Verma Agarwal Krishnan Subramanian Bhatt Kulkarni"
        ),
    ),
    "chinese": (
        _words(
            "Wei Fang Jing Lei Min Jun Yan Hao Xiaoming Lina Tao Hui Qiang Ying Zhiwei Xin"
            " Yang Mei Jie Ling"
        ),
        _words(
            "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo"
        ),
    ),
    "filipino": (
        _words(
            "Maria_Clara Jose_Mari Angelica Mark_Anthony Kristine Jericho Princess Rhea Joshua"
            " Jasmine Ramon Liza Paolo Aileen Carlo Bea"
        ),
        _words(
            "Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Villanueva Ramos Aquino Dela_Cruz"
            " Castillo Soriano Manalo Pascual Navarro"
        ),
    ),
    "nigerian": (
        _words(
            "Chinedu Oluwaseun Ngozi Adebayo Emeka Funmilayo Tunde Chiamaka Ifeanyi Yetunde"
            " Babatunde Amaka Segun Kemi"
        ),
        _words(
            "Okafor Adeyemi Okoro Balogun Eze Nwosu Adewale Ogunleye Obi Olawale Chukwu Ibrahim"
            " Bello Afolabi"
        ),
    ),
    "kenyan": (
        _words(
            "Wanjiru Otieno Achieng Kamau Njeri Kipchoge Wairimu Omondi Akinyi Brian Faith"
            " Kevin Mercy Daisy"
        ),
        _words(
            "Mwangi Ochieng Kiplagat Mutua Wambui Kariuki Njoroge Odhiambo Chebet Kimani Wanjala"
            " Onyango"
        ),
    ),
    "german": (
        _words(
            "Jürgen Lukas Anna Felix Lena Maximilian Sophie Jonas Hannah Matthias Katrin"
            " Sebastian Jörg Björn"
        ),
        _words(
            "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schäfer Koch Hoffmann"
            " Schröder Krüger Zimmermann"
        ),
    ),
    "polish": (
        _words(
            "Łukasz Katarzyna Piotr Małgorzata Tomasz Agnieszka Paweł Magdalena Krzysztof Zofia"
        ),
        _words(
            "Kowalski Nowak Wiśniewski Wójcik Kowalczyk Kamińska Lewandowski Zieliński"
            " Szymańska Dąbrowski"
        ),
    ),
    "french": (
        _words(
            "Jean-Luc Zoë Chloé Hélène Benoît Amélie François Léa Mathieu Élodie Noël Anaïs"
        ),
        _words(
            "Dubois Lefèvre Moreau Girard Fournier Lambert Rousseau Bérubé Gagnon Tremblay Côté"
            " Bouchard"
        ),
    ),
    "brazilian": (
        _words(
            "João Ana_Clara Thiago Larissa Gabriel Beatriz Rafael Fernanda Lucas Juliana"
            " Matheus Letícia"
        ),
        _words(
            "Silva Souza Oliveira Santos Pereira Costa Rodrigues Almeida Araújo Gonçalves"
            " Conceição Carvalho"
        ),
    ),
    "arabic": (
        _words("Omar Fatima Youssef Layla Ahmed Nour Khaled Mariam Hassan Yasmin Karim Rania"),
        _words(
            "Haddad Khalil Mansour El-Sayed Al-Farsi Nasser Saleh Hamdan Abdullah Farouk Aziz"
        ),
    ),
    "pakistani": (
        _words("Muhammad Ayesha Bilal Hira Usman Sana Hamza Zainab"),
        _words("Khan Ahmed Qureshi Malik Butt Chaudhry Siddiqui Raza"),
    ),
    "vietnamese": (
        _words("Minh Linh Thao Duc Huong Tuan Lan Quang"),
        _words("Nguyen Tran Le Pham Hoang Vu Dang Bui"),
    ),
    "korean": (
        _words("Ji-woo Min-jun Seo-yeon Hyun-woo Ji-hoon Soo-jin Eun-ji Dong-hyun"),
        _words("Kim Park Lee Choi Jung Kang Cho Yoon"),
    ),
    "japanese": (
        _words("Haruto Yuki Kenji Aiko Takeshi Sakura Hiroshi Yui"),
        _words("Tanaka Sato Suzuki Watanabe Takahashi Ito Yamamoto Nakamura"),
    ),
    "irish": (
        _words("Siobhán Niamh Seán Aoife Ciarán Róisín Declan Orla Conor Saoirse"),
        _words(
            "O'Brien O'Connor Murphy Kelly O'Sullivan Walsh McCarthy Byrne O'Neill Fitzgerald"
            " McDonald MacLeod"
        ),
    ),
}
# Han forms for some Chinese-language applicants, who type their name in Chinese.
HAN_GIVEN = dict(
    zip(
        NAMES["chinese"][0],
        "伟 芳 静 磊 敏 军 燕 浩 晓明 丽娜 涛 慧 强 颖 志伟 欣 洋 梅 杰 玲".split(),
        strict=True,
    )
)
HAN_FAMILY = dict(
    zip(
        NAMES["chinese"][1],
        "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 高 罗".split(),
        strict=True,
    )
)

NAME_MIX = {
    "United States": (
        ("anglo", 50), ("hispanic", 12), ("indian", 8), ("chinese", 5), ("vietnamese", 2), ("korean", 2),
        ("japanese", 1),
        ("irish", 5), ("nigerian", 3), ("german", 3), ("arabic", 3), ("polish", 2),
        ("french", 2), ("filipino", 2), ("pakistani", 1),
    ),
    "Canada": (
        ("anglo", 40), ("french", 20), ("chinese", 10), ("indian", 10), ("irish", 5),
        ("filipino", 5), ("arabic", 5), ("pakistani", 5),
    ),
    "United Kingdom": (
        ("anglo", 55), ("irish", 10), ("indian", 12), ("pakistani", 6), ("polish", 6),
        ("nigerian", 6), ("arabic", 5),
    ),
    "Ireland": (("irish", 65), ("anglo", 25), ("polish", 10)),
    "Australia": (("anglo", 70), ("irish", 10), ("chinese", 10), ("indian", 10)),
    "Netherlands": (("german", 50), ("anglo", 30), ("arabic", 20)),
    "India": (("indian", 100),),
    "Philippines": (("filipino", 100),),
    "Nigeria": (("nigerian", 100),),
    "Kenya": (("kenyan", 100),),
    "Brazil": (("brazilian", 100),),
    "Spain": (("hispanic", 100),),
    "Mexico": (("hispanic", 100),),
    "Argentina": (("hispanic", 100),),
    "Colombia": (("hispanic", 100),),
    "China": (("chinese", 100),),
    "Germany": (("german", 85), ("polish", 10), ("arabic", 5)),
    "Poland": (("polish", 100),),
    "France": (("french", 85), ("arabic", 15)),
    "Pakistan": (("pakistani", 100),),
    "Egypt": (("arabic", 100),),
    "United Arab Emirates": (("arabic", 60), ("indian", 30), ("pakistani", 10)),
    "Vietnam": (("vietnamese", 100),),
    "South Korea": (("korean", 100),),
    "Japan": (("japanese", 100),),
}

# (city, state, country, area codes / phone prefixes separated by "|")
LOCATIONS = (
    ("New York", "NY", "United States", "212|646|917|718"),
    ("Brooklyn", "NY", "United States", "718|347"),
    ("Los Angeles", "CA", "United States", "213|310|323"),
    ("San Francisco", "CA", "United States", "415|628"),
    ("San Jose", "CA", "United States", "408"),
    ("San Diego", "CA", "United States", "619|858"),
    ("Seattle", "WA", "United States", "206"),
    ("Portland", "OR", "United States", "503"),
    ("Austin", "TX", "United States", "512"),
    ("Houston", "TX", "United States", "713|832"),
    ("Dallas", "TX", "United States", "214|972"),
    ("Chicago", "IL", "United States", "312|773"),
    ("Boston", "MA", "United States", "617|857"),
    ("Baltimore", "MD", "United States", "410|443"),
    ("Philadelphia", "PA", "United States", "215|267"),
    ("Pittsburgh", "PA", "United States", "412"),
    ("Atlanta", "GA", "United States", "404|678"),
    ("Miami", "FL", "United States", "305|786"),
    ("Orlando", "FL", "United States", "407"),
    ("Denver", "CO", "United States", "303|720"),
    ("Phoenix", "AZ", "United States", "602|480"),
    ("Minneapolis", "MN", "United States", "612"),
    ("Detroit", "MI", "United States", "313"),
    ("Columbus", "OH", "United States", "614"),
    ("Raleigh", "NC", "United States", "919"),
    ("Charlotte", "NC", "United States", "704"),
    ("Nashville", "TN", "United States", "615"),
    ("Salt Lake City", "UT", "United States", "801"),
    ("Washington", "DC", "United States", "202"),
    ("Arlington", "VA", "United States", "703|571"),
    ("Madison", "WI", "United States", "608"),
    ("Boise", "ID", "United States", "208"),
    ("Newark", "NJ", "United States", "973"),
    ("Toronto", "ON", "Canada", "416|647"),
    ("Vancouver", "BC", "Canada", "604|778"),
    ("Montreal", "QC", "Canada", "514|438"),
    ("Calgary", "AB", "Canada", "403"),
    ("London", "England", "United Kingdom", "20 7946 0"),
    ("Manchester", "England", "United Kingdom", "161 496 0"),
    ("Liverpool", "England", "United Kingdom", "151 496 0"),
    ("Leeds", "England", "United Kingdom", "113 496 0"),
    ("Edinburgh", "Scotland", "United Kingdom", "131 496 0"),
    ("Dublin", "Dublin", "Ireland", "1"),
    ("Bengaluru", "Karnataka", "India", ""),
    ("Mumbai", "Maharashtra", "India", ""),
    ("Hyderabad", "Telangana", "India", ""),
    ("Pune", "Maharashtra", "India", ""),
    ("Chennai", "Tamil Nadu", "India", ""),
    ("New Delhi", "Delhi", "India", ""),
    ("Manila", "Metro Manila", "Philippines", ""),
    ("Quezon City", "Metro Manila", "Philippines", ""),
    ("Cebu City", "Cebu", "Philippines", ""),
    ("Lagos", "Lagos", "Nigeria", ""),
    ("Abuja", "FCT", "Nigeria", ""),
    ("Ibadan", "Oyo", "Nigeria", ""),
    ("Nairobi", "Nairobi County", "Kenya", ""),
    ("Mombasa", "Mombasa County", "Kenya", ""),
    ("São Paulo", "SP", "Brazil", "11"),
    ("Rio de Janeiro", "RJ", "Brazil", "21"),
    ("Madrid", "Comunidad de Madrid", "Spain", ""),
    ("Barcelona", "Cataluña", "Spain", ""),
    ("Valencia", "Comunidad Valenciana", "Spain", ""),
    ("Ciudad de México", "CDMX", "Mexico", "55"),
    ("Guadalajara", "Jalisco", "Mexico", "33"),
    ("Buenos Aires", "Buenos Aires", "Argentina", ""),
    ("Bogotá", "Cundinamarca", "Colombia", ""),
    ("Medellín", "Antioquia", "Colombia", ""),
    ("Beijing", "Beijing", "China", ""),
    ("Shanghai", "Shanghai", "China", ""),
    ("Shenzhen", "Guangdong", "China", ""),
    ("Hangzhou", "Zhejiang", "China", ""),
    ("Berlin", "Berlin", "Germany", "30"),
    ("Munich", "Bavaria", "Germany", "89"),
    ("Hamburg", "Hamburg", "Germany", "40"),
    ("Kraków", "Lesser Poland", "Poland", ""),
    ("Warsaw", "Masovia", "Poland", ""),
    ("Paris", "Île-de-France", "France", ""),
    ("Amsterdam", "North Holland", "Netherlands", ""),
    ("Sydney", "NSW", "Australia", ""),
    ("Melbourne", "VIC", "Australia", ""),
    ("Lahore", "Punjab", "Pakistan", ""),
    ("Karachi", "Sindh", "Pakistan", ""),
    ("Cairo", "Cairo Governorate", "Egypt", ""),
    ("Dubai", "Dubai", "United Arab Emirates", ""),
    ("Ho Chi Minh City", "", "Vietnam", ""),
    ("Seoul", "", "South Korea", ""),
    ("Tokyo", "Tokyo", "Japan", ""),
)
COUNTRY_WEIGHTS = {
    "United States": 55, "Canada": 5, "United Kingdom": 5, "India": 9, "Philippines": 4,
    "Nigeria": 3.5, "Kenya": 1.5, "Brazil": 1.5, "Spain": 0.7, "Mexico": 0.8, "Argentina": 0.3,
    "Colombia": 0.4, "China": 0.8, "Germany": 1.5, "Poland": 0.7, "France": 0.6, "Ireland": 0.6,
    "Netherlands": 0.5, "Australia": 1.2, "Pakistan": 1.5, "Egypt": 0.8, "United Arab Emirates": 0.7,
    "Vietnam": 0.6, "South Korea": 0.4, "Japan": 0.4,
}
SPANISH_COUNTRIES = ("Spain", "Mexico", "Argentina", "Colombia")

# Phone templates per country: "#" is a random digit, "{A}" the city's area code.
PHONES = {
    "NANP": (
        ("({A}) 555-####", 30), ("{A}-555-####", 15), ("{A}.555.####", 8),
        ("+1 {A} 555 ####", 10), ("+1 ({A}) 555-####", 6), ("1-{A}-555-####", 4),
        ("{A}555####", 8),
    ),
    "United Kingdom": (
        ("0{A}###", 30), ("+44 {A}###", 25), ("07700 900###", 25), ("+44 7700 900###", 20),
    ),
    "Ireland": (("+353 87 ### ####", 50), ("087 ### ####", 30), ("+353 {A} ### ####", 20)),
    "India": (("+91 9#### #####", 35), ("9#########", 25), ("+91-8#########", 20),
              ("+91 7#### #####", 20)),
    "Philippines": (("+63 917 ### ####", 40), ("0917 ### ####", 30), ("09#########", 30)),
    "Nigeria": (("+234 803 ### ####", 30), ("0803 ### ####", 25), ("+234 813 ### ####", 20),
                ("0706 ### ####", 25)),
    "Kenya": (("+254 712 ######", 50), ("0712 ######", 30), ("+254 722 ### ###", 20)),
    "Brazil": (("+55 {A} 9####-####", 60), ("({A}) 9####-####", 40)),
    "Spain": (("+34 6## ### ###", 60), ("6## ## ## ##", 40)),
    "Mexico": (("+52 {A} #### ####", 60), ("{A} #### ####", 40)),
    "Argentina": (("+54 9 11 ####-####", 100),),
    "Colombia": (("+57 3## ### ####", 70), ("3## #######", 30)),
    "China": (("+86 138 #### ####", 40), ("139########", 30), ("+86-186-####-####", 30)),
    "Germany": (("+49 {A} ########", 35), ("0{A} ########", 25), ("+49 151 ########", 20),
                ("0151 ########", 20)),
    "Poland": (("+48 ### ### ###", 70), ("###-###-###", 30)),
    "France": (("+33 6 ## ## ## ##", 60), ("06 ## ## ## ##", 40)),
    "Netherlands": (("+31 6 ########", 60), ("06-########", 40)),
    "Australia": (("+61 4## ### ###", 60), ("04## ### ###", 40)),
    "Pakistan": (("+92 3## #######", 60), ("03##-#######", 40)),
    "Egypt": (("+20 10 #### ####", 60), ("010 #### ####", 40)),
    "United Arab Emirates": (("+971 50 ### ####", 60), ("050 ### ####", 40)),
    "Vietnam": (("+84 9# ### ####", 60), ("09# ### ####", 40)),
    "South Korea": (("+82 10-####-####", 60), ("010-####-####", 40)),
    "Japan": (("+81 90-####-####", 60), ("090-####-####", 40)),
}

EMAIL_DOMAINS_DEFAULT = (
    ("gmail.com", 50), ("yahoo.com", 12), ("hotmail.com", 9), ("outlook.com", 10),
    ("icloud.com", 6), ("aol.com", 2), ("protonmail.com", 2), ("live.com", 2), ("me.com", 1),
)
EMAIL_DOMAINS = {
    "India": (("gmail.com", 65), ("yahoo.co.in", 12), ("rediffmail.com", 5), ("outlook.com", 8),
              ("hotmail.com", 5)),
    "United Kingdom": (("gmail.com", 45), ("yahoo.co.uk", 12), ("hotmail.co.uk", 12),
                       ("btinternet.com", 5), ("outlook.com", 10), ("icloud.com", 6)),
    "China": (("qq.com", 40), ("163.com", 25), ("126.com", 6), ("gmail.com", 20),
              ("outlook.com", 9)),
    "Germany": (("gmail.com", 35), ("web.de", 20), ("gmx.de", 20), ("t-online.de", 8),
                ("outlook.de", 7)),
    "Brazil": (("gmail.com", 60), ("hotmail.com", 20), ("uol.com.br", 10), ("bol.com.br", 5)),
    "Spain": (("gmail.com", 50), ("hotmail.es", 25), ("yahoo.es", 10), ("outlook.es", 10)),
    "Mexico": (("gmail.com", 50), ("hotmail.com", 30), ("outlook.com", 10), ("yahoo.com.mx", 8)),
    "France": (("gmail.com", 50), ("orange.fr", 20), ("free.fr", 10), ("hotmail.fr", 15)),
    "Philippines": (("gmail.com", 60), ("yahoo.com", 30), ("outlook.com", 10)),
}
ASCII_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d"}
)

# --------------------------------------------------------------------------- answers

FIELD_TECH = (
    "Computer Science", "CS", "Computer Engineering", "Electrical Engineering",
    "Software Engineering", "Computer Science and Engineering",
    "Electronics & Communication Engineering", "Information Systems", "Mechanical Engineering",
    "Mechanical Eng.", "Industrial Engineering", "Electrical and Computer Engineering",
    "Comp Sci", "Information Technology", "Data Science", "computer science",
    "Systems Engineering", "B.S. Computer Science",
)
FIELD_PM = (
    "Project Management", "Engineering Management", "Information Technology Management",
    "Technology Management", "MS in Project Management", "Project management",
)
FIELD_BUSINESS = (
    "Business Administration", "MBA", "Business", "Management", "Economics", "Finance",
    "Marketing", "Accounting", "Supply Chain Management", "Operations Management",
    "Business Management", "International Business",
)
FIELD_OTHER = (
    "English Literature", "Psychology", "Communications", "Graphic Design", "Biology", "Nursing",
    "History", "Education", "Journalism", "Music", "Philosophy", "Hospitality Management",
    "Criminal Justice", "Liberal Arts", "Political Science", "Sociology", "Fine Arts",
    "Chemistry", "Physics", "Mathematics", "Statistics", "Architecture", "Civil Engineering",
    "Film Studies", "Kinesiology", "Public Health",
)
FIELD_JUNK = ("", "", "N/A", "none", "-", "General Studies", "Self taught", "various")
FIELD_ES = (
    "Informática", "Ingeniería de Sistemas", "Ingeniería Industrial",
    "Administración de Empresas", "Ingeniería Civil", "Ingeniería en Sistemas Computacionales",
    "Ingeniería Informática",
)
FIELD_ZH = ("计算机科学", "计算机科学与技术", "软件工程", "工商管理", "电子工程", "信息管理",
            "Computer Science", "自动化")

NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
)
ZH_NUMBERS = ("零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
              "十三", "十四", "十五")

TITLES_STRONG = (
    "Technical Project Manager", "Senior Project Manager", "Senior Technical Program Manager",
    "Program Manager", "Engineering Project Manager", "Delivery Manager", "Project Manager",
    "IT Project Manager", "Product Delivery Lead", "Senior Program Manager",
)
TITLES_GOOD = (
    "Project Manager", "Project Coordinator", "Associate Project Manager", "Scrum Master",
    "Team Lead", "Operations Manager", "Product Owner", "Business Analyst",
)
TITLES_AVERAGE = (
    "Project Coordinator", "Operations Associate", "Office Manager", "Team Lead",
    "Marketing Coordinator", "Account Manager", "Administrative Assistant", "QA Analyst",
    "Customer Success Manager", "Junior Project Manager", "Program Assistant",
)
CERT_PHRASE = {
    "PMP": "PMP",
    "PRINCE2": "PRINCE2 Practitioner",
    "Certified ScrumMaster (CSM)": "Certified ScrumMaster",
    "PMI-ACP": "PMI-ACP",
    "CAPM": "CAPM",
    "Google Project Management Certificate": "Google Project Management",
}

# Fictional employers, each with a fitting description.
COMPANIES = {
    "Northwind Analytics": "a retail analytics firm",
    "Bluefin Logistics": "a regional logistics company",
    "Harborview Health": "a network of community clinics",
    "Keystone Retail Group": "a Fortune 500 retailer",
    "Pinecrest Software": "a 200-person SaaS company",
    "Lumen EdTech": "an online education startup",
    "Vertex Robotics": "a hardware startup building warehouse robots",
    "Brightpath Learning": "an e-learning platform with over 50,000 students",
    "Cobalt Fintech": "a fintech scale-up",
    "Summit Mutual Insurance": "a mid-sized insurance company",
    "Redwood Media": "a digital media company",
    "Orion Telecom": "a telecom operator",
    "Maple Leaf Consulting": "an IT consultancy",
    "Atlas Manufacturing": "an industrial equipment manufacturer",
    "Granite Bay Systems": "a government contractor",
    "Silverline Payments": "a payments company",
    "Crescent Biotech": "a biotech company",
    "Ironwood Games": "a video game studio",
    "Clearwater Energy": "a renewable energy developer",
    "Nimbus Cloud Services": "a managed cloud provider",
    "Tidewater Shipping": "a container shipping company",
    "Quarry Labs": "a machine learning consultancy",
    "Beacon Street Bank": "a regional bank",
    "Fernhill University": "a public research university",
    "Sundial Travel": "an online travel agency",
    "Copperleaf Foods": "a food manufacturer",
    "Wavecrest Audio": "a consumer electronics company",
    "Larkspur Insurance": "an insurance startup",
    "Meridian Health Partners": "a healthcare analytics firm",
    "Stonebridge Engineering": "a civil engineering firm",
    "Paloma Pharmaceuticals": "a pharmaceutical company",
    "Greenway Transit Authority": "a city transit agency",
    "Kestrel Aerospace": "an aerospace supplier",
    "Lighthouse Learning": "a nonprofit focused on adult education",
    "Juniper Street Studios": "an animation studio",
    "Polaris Data": "a data infrastructure startup",
    "Riverbend Hospital": "a 400-bed teaching hospital",
    "Tallgrass Agritech": "an agriculture technology startup",
    "Zephyr Mobility": "an electric scooter company",
    "Cedar & Pine Marketing": "a digital agency",
    "Hollow Oak Games": "an indie game studio",
    "Evergreen Credit Union": "a credit union with forty branches",
    "Blue Heron Publishing": "a publishing house",
    "Saltmarsh Consulting": "a management consultancy",
    "Foxglove Retail": "an online fashion retailer",
    "Ridgeline Security": "a cybersecurity company",
    "Alder Vision Systems": "a computer vision startup",
    "Mosaic Health": "a telehealth startup",
    "Prairie Wind Power": "a wind energy operator",
    "Sparrow Robotics": "a robotics startup",
    "Keel & Compass Logistics": "a freight forwarding company",
    "Oakmont Legal": "a legal services firm",
    "Vantage Point Media": "a video production company",
    "Bright Harbor Schools": "a charter school network",
    "Twin Rivers Software": "a custom software shop",
    "Cinder Block Games": "a mobile game studio",
    "Glacier Analytics": "a marketing analytics firm",
    "Amberline Telecom": "a fiber internet provider",
    "Westbrook Partners": "a private equity firm",
    "Solstice Learning": "a corporate training company",
    "Dovetail Robotics": "an industrial automation company",
    "Harrow & Finch": "a boutique design studio",
    "Lanternfish AI": "a deep learning startup",
    "Quillstone Press": "a technical book publisher",
    "Northstar Medical Devices": "a medical device manufacturer",
}

# Values for {slots} in the sentence banks. A slot name ending in a digit ("company2") draws
# another value from the pool without the digit.
POOLS = {
    "company": tuple(COMPANIES),
    "domain": (
        "e-commerce", "healthcare", "fintech", "online education", "logistics", "manufacturing",
        "telecommunications", "digital media", "automotive", "retail analytics", "insurance",
        "public sector IT", "EdTech", "robotics", "computer vision", "gaming", "biotech",
        "energy", "cybersecurity", "consumer electronics",
    ),
    "product": (
        "a self-paced deep learning course", "an object detection API",
        "a mobile banking app", "a video analytics platform", "a customer support portal",
        "an internal data platform", "a document OCR pipeline", "a recommendation engine",
        "a learning management system migration", "a new checkout flow",
        "an IoT monitoring dashboard", "a cloud migration of our core services",
        "a telehealth scheduling system", "a partner API program", "a fraud detection service",
        "a warehouse robotics pilot", "an online certification program",
        "a redesign of our marketing website", "a patient intake app",
        "a driver scheduling app", "a kiosk check-in system for clinics",
        "an inventory forecasting tool", "a volunteer management platform",
        "a parking availability map", "a loyalty rewards program", "an employee intranet",
        "a donation processing platform", "a field service mobile app",
        "a smart irrigation controller", "an e-signature workflow",
        "a restaurant ordering tablet app", "a digital textbook reader",
        "an energy usage dashboard", "a museum audio guide app",
        "a route planning service for couriers", "a customer feedback survey platform",
        "a real-time fleet tracking system", "an in-house video course production pipeline",
        "a multilingual help center", "a license plate recognition system",
        "a data warehouse on Snowflake", "an annual developer conference",
    ),
    "cv_product": (
        "a face recognition attendance system", "an OCR pipeline for scanned invoices",
        "a defect-detection model for a factory line", "an online course on image classification",
        "a people-counting system for retail stores", "a license plate recognition service",
        "a pose estimation feature for a fitness app", "a drone inspection pipeline",
        "a medical image triage tool", "a shelf-monitoring camera system for grocery stores",
        "a document classification model for insurance claims",
        "a crop disease detection app for farmers", "an automated video moderation service",
        "a barcode and label reading station for a warehouse",
        "a traffic analytics dashboard fed by city cameras",
    ),
    "team_kind": (
        "engineers, designers and QA testers", "developers and content writers",
        "data scientists and backend engineers", "instructional designers and video editors",
        "frontend and mobile developers", "engineers, analysts and two external vendors",
        "developers, data annotators and a product designer",
        "engineers spread across three countries", "writers, editors and developers",
        "hardware and software engineers", "ML engineers and data labelers",
    ),
    "stakeholders": (
        "executives, engineering leads and customers",
        "the CEO, marketing and the content team", "hospital administrators and clinicians",
        "external vendors, legal and finance", "university partners and grant officers",
        "sales, support and two enterprise customers",
        "the board, our investors and the engineering team",
        "regulators, auditors and our operations staff",
    ),
    "team_size": _words("5 6 7 8 9 10 12 14 15 18 20 25"),
    "small_team": _words("three four five six"),
    "budget": _words("$250K $1.2M $400,000 $3M $850K $600,000 $2.5M $1.8M $90,000 $5M $750K"),
    "small_budget": _words("$20,000 $35,000 $50,000 $8,000 $12,000"),
    "pct": _words("15 18 20 22 25 30 35 40"),
    "num_weeks": _words("two three"),
    "num_tz": _words("three four five six"),
    "num_tasks": _words("1,200 3,000 800 5,500 2,400 10,000"),
    "num_milestones": _words("five six seven eight nine"),
    "num_months": _words("four five six seven eight nine ten twelve"),
    "mentee_count": _words("three four five six eight a_dozen"),
    "launch_count": _words("three four five six seven eight over_a_dozen"),
    "cadence": _words("weekly weekly bi-weekly"),
    "period": _words("week week two_weeks month"),
    "follow_year": _words("2014 2015 2016 2017 2018 2019"),
    "proj_year": _words("2015 2016 2017 2018 2019 2019"),
    "cert_year": _words("2012 2014 2015 2016 2017 2018 2019"),
    "eng_years": _words("three four five six seven"),
    "small_years": _words("two three four five six seven"),
    "course_name": (
        "Deep Learning for Computer Vision with Python", "the PyImageSearch Gurus course",
        "Practical Python and OpenCV", "Raspberry Pi for Computer Vision",
        "several of your free crash courses",
    ),
    "lib": _words("OpenCV PyTorch TensorFlow Keras scikit-learn dlib"),
    "course_topic": (
        "object detection", "OCR", "face recognition", "image classification",
        "semantic segmentation", "deep learning with Keras", "OpenCV basics",
        "pose estimation", "object tracking", "transfer learning",
    ),
    "early_role": (
        "software developer", "QA engineer", "business analyst", "systems engineer",
        "data analyst", "mechanical engineer", "electrical engineer", "web developer",
        "network engineer", "technical writer",
    ),
    "hobby": (
        "hiking", "photography", "cooking", "chess", "running", "reading science fiction",
        "playing guitar", "gardening", "volunteering at my church", "watching documentaries",
        "playing basketball", "painting", "baking", "traveling", "video games", "yoga",
        "learning languages", "woodworking", "fishing", "board games", "birdwatching",
        "kayaking", "knitting", "calligraphy", "salsa dancing", "podcasting", "mountain biking",
        "origami", "pottery", "crossword puzzles",
    ),
    "prev_job": (
        "cashier", "delivery driver", "customer service representative", "retail associate",
        "waiter", "receptionist", "teacher's assistant", "warehouse associate",
        "call center agent", "freelance writer", "nurse", "bartender", "bank teller",
        "administrative assistant", "sales associate", "security guard", "graphic designer",
        "substitute teacher", "real estate agent", "barista", "line cook", "pharmacy technician",
        "Uber driver", "daycare worker", "insurance agent",
    ),
    "prev_place": (
        "a local grocery store", "a busy restaurant", "a call center", "a hospital",
        "a large warehouse", "a small law office", "a hotel front desk", "a bank branch",
        "a coffee shop", "a clothing store", "a dental office", "a car dealership",
        "a public school", "a gym", "a movie theater",
    ),
    "field_any": (
        "psychology", "biology", "history", "communications", "English", "sociology",
        "fine arts", "criminal justice", "hospitality", "music", "philosophy", "nutrition",
    ),
    "project": (
        "a new customer onboarding portal", "the migration of our data warehouse to the cloud",
        "a mobile app for field inspections",
        "a telehealth platform for rural clinics",
        "the relaunch of our e-commerce site on a new platform",
        "an internal developer platform used by 300 engineers",
        "a subscription billing system", "a companion app for a smart thermostat",
        "a real-time analytics dashboard for dispatchers",
        "a ticketing system for a city transit agency",
        "a second edition of a technical book, including code, videos and a new website",
        "a self-service portal for insurance claims", "an API platform for third-party developers",
        "the consolidation of three legacy CRMs into one",
    ),
    "project_ml": (
        "the launch of a self-paced computer vision course with forty video lessons",
        "the rollout of an ML-powered defect detection system across three factories",
        "an OCR pipeline that digitized 2 million forms",
        "a face-blurring tool for our street-level imagery",
        "a paid online bootcamp on deep learning",
        "a video moderation service based on deep learning",
        "a recommendation engine for an online bookstore",
        "a warehouse robotics pilot with two hardware vendors",
        "a camera-based people-counting product for retail stores",
        "a pose estimation feature for a home fitness app",
    ),
    "small_project": (
        "our office move to a new building", "the company holiday party",
        "a new filing system for our department", "a fundraising event for a local charity",
        "the schedule for our store's busy season", "a small website for my uncle's restaurant",
        "the onboarding of three new employees", "a training day for new volunteers",
        "a new way to track inventory", "our team's switch to a new email system",
        "a school science fair", "a community clean-up day",
    ),
    "result": (
        "we reached 5,000 paying customers in the first quarter",
        "support tickets dropped by a third within two months",
        "we came in 8% under budget", "the launch cohort sold out in two days",
        "processing time went from hours to minutes",
        "customer churn went down by 12% over the next two quarters",
        "the system has since processed over two million images",
        "the team still uses the same release checklist today",
        "on-time delivery for the whole program went from 60% to 92%",
        "the client renewed the contract for three more years",
        "we hit the launch date the CEO had announced publicly six months earlier",
        "the product paid back its development cost within a year",
        "adoption passed 80% of the target users within six weeks",
        "the first 300 students gave the course an average rating of 4.8 out of 5",
        "our biggest customer expanded their contract the following quarter",
    ),
    "deliverable": (
        "release notes", "course modules", "API endpoints", "design mockups", "training datasets",
        "test plans", "video lessons", "migration scripts", "user guides", "sprint demos",
    ),
    "es_domain": (
        "telecomunicaciones", "banca", "comercio electrónico", "salud", "educación en línea",
        "logística", "manufactura", "desarrollo de software", "seguros", "energía",
    ),
}


# --------------------------------------------------------------------------- sentence banks

GREETINGS = _bank("""
Dear Hiring Manager,
Hi Adrian,
Hello,
Dear PyImageSearch team,
To whom it may concern,
Dear Adrian and team,
Hi there,
Dear Sir or Madam,
Good day,
""")
SIGNOFFS = (  # a single newline inside the paragraph, as people type it
    "Best regards,\n{first}",
    "Sincerely,\n{first} {last}",
    "Thank you,\n{first}",
    "Kind regards,\n{first} {last}",
    "Cheers,\n{first}",
    "Warm regards,\n{first}",
    "Respectfully,\n{first} {last}",
)

STRONG_OPEN = _bank("""
I am excited to apply for the Technical Project Manager position at PyImageSearch.
I would love to bring my {years} years of project management experience to the Technical Project
  Manager role at PyImageSearch.
When I saw the Technical Project Manager posting on the PyImageSearch blog I knew I had to apply:
  I have read your tutorials for years, and running projects is what I do best.
I am a {cert} certified project manager with {years} years of experience delivering software and
  content projects from idea to launch, and I am applying for your Technical Project Manager
  opening.
Please accept my application for the Technical Project Manager role; my background in engineering
  and in leading cross-functional teams is a close match for what you describe.
Your posting describes almost exactly the job I have been doing for the last {years} years, and I
  would be thrilled to do it for the company whose tutorials taught me computer vision.
I am writing to apply for the Technical Project Manager role because it combines the two things I
  care most about professionally: well-run projects and deep learning education.
I am applying for the Technical Project Manager position because I want to help a small, ambitious
  team ship more courses and books without burning out.
Having spent the last {years} years shipping software, courses and hardware on time, I would love
  to do the same for PyImageSearch.
I have been a PyImageSearch reader since my first OpenCV project, and I am now applying to help
  run the projects behind the tutorials.
I am a technical project manager with an engineering degree, {years} years of delivery experience
  and a genuine interest in computer vision.
""")
STRONG_SUMMARY = _bank("""
For the past {years} years I have worked as {a_title} at {company}, {company_desc}, where I own
  delivery for {product}.
I am currently {a_title} at {company}, leading a cross-functional team of {team_size}
  {team_kind}.
I hold {a_degree_phrase} and have spent {years} years managing technical projects in {domain}.
Before moving into project management I worked as {a_early_role} for {eng_years} years, so I
  understand how engineers think about estimates, technical debt and code review.
At {company} I run a portfolio of {launch_count} concurrent projects with a combined budget of
  {budget}.
My background is a mix of engineering and delivery: I started as {a_early_role} and grew into
  {a_title} role over the last {years} years.
Most of my career has been in {domain}, first at {company2} and now at {company}, where I am the
  {title} for our customer-facing products.
""")
STRONG_PLAN = _bank("""
I build end-to-end project plans that start from the business goal, break it down into
  deliverables, and map every deliverable to an owner and a date.
My process from idea to launch starts with a short discovery phase, then a written project
  charter, a work breakdown structure and a baseline schedule that the whole team signs off on.
Every project I run has a one-page plan that ties company goals to concrete deliverables, so
  anyone on the team can see why their task matters.
I am comfortable taking a rough idea from a founder and turning it into a scoped plan with
  phases, dependencies, a critical path and a launch checklist.
In my current role I have taken {launch_count} products from idea to launch, including
  {product}.
I like to start projects with a kickoff that defines clear deliverables, due dates, roles and
  responsibilities, using a simple RACI chart.
I plan backwards from the launch date, identify the critical path early and protect it with
  explicit buffers.
For each initiative I write a short brief that states the problem, the expected outcome, the
  budget envelope and how we will know we are done.
""")
STRONG_SCOPE = _bank("""
I manage scope, budget and timeline together rather than separately; when one of them moves I
  make the trade-off explicit and get a decision from the right stakeholder.
I delivered {product} on a budget of {budget} and finished two weeks ahead of the baseline
  schedule.
I track budget burn against the plan every {period} and flag variances early so there are no
  surprises at the end of a quarter.
Scope creep is the most common reason projects slip, so I keep a change log and review every new
  request against the original goals.
Over the last three years {pct}% more of my projects shipped on time and on budget after I
  introduced a lightweight change-control process.
I am used to fixed deadlines such as product launches and conference dates, and I build the
  schedule backwards from the date with buffer for the unknowns.
When the budget for {product} was cut by a fifth mid-year, I renegotiated scope with the sponsor
  instead of quietly cutting quality.
""")
STRONG_MILESTONE = _bank("""
I send a {cadence} status report that covers milestones hit, deliverables at risk, upcoming
  decisions and foreseeable issues.
I define milestones that can actually be verified, such as "module reviewed and published",
  rather than vague percentages.
My status reports use a simple red/amber/green format so leadership can see the health of each
  project in under a minute.
I keep a milestone tracker in {tool} that the whole company can see, which cut the number of
  "where are we on this?" messages dramatically.
Detailed reporting on milestones and deliverables was one of the first things I introduced at
  {company}, and it gave our investors confidence in our delivery dates.
I document every milestone review with the decisions made, the action items and their owners.
Every Friday I publish a one-page summary of progress against milestones, with upcoming
  deliverables and any risks that need a decision.
""")
STRONG_RISK = _bank("""
I maintain a risk register for every project and review it with the team weekly, so we can
  anticipate problems instead of reacting to them.
A big part of my job is spotting blockers early and removing them, whether that means negotiating
  for more GPU budget, unblocking an access request or re-sequencing work.
When a vendor missed a delivery date on {product}, I had a contingency plan ready and we lost
  two days instead of a month.
I ask every team member the same question in standups: what is blocking you? Then I make it my
  job to clear it the same day.
I try to anticipate challenges before they happen by running a short pre-mortem at the start of
  each project.
Risk management for me is practical: name the risk, give it an owner, agree on a mitigation and
  revisit it until it is closed.
I keep a short list of foreseeable issues, from vendor delays to key-person dependencies, and I
  share it openly rather than hiding bad news.
""")
STRONG_COMM = _bank("""
I communicate proactively with every stakeholder, from engineers to executives, and adapt the
  level of detail to the audience.
I have managed stakeholder communication for projects involving {stakeholders}.
I believe most project failures are communication failures, so I over-communicate: written
  updates, short meetings and a clear decision log.
I hold regular team meetings to resolve project issues, and I keep them short, with a written
  agenda and notes shared afterwards.
Working with a distributed team across {num_tz} time zones taught me to rely on clear written
  communication and asynchronous updates.
I am the person who makes sure that marketing, engineering and support all hear about a launch
  date at the same time.
I write meeting notes within the hour and send them to everyone affected, including people who
  were not in the room.
""")
STRONG_AGILE = _bank("""
I have run Scrum for teams of up to {team_size} people, including sprint planning, daily
  standups, reviews and retrospectives.
I have used both Scrum and Kanban and pick the approach based on the work: Kanban for continuous
  content production, Scrum for feature development.
I introduced Agile practices at {company}, moving the team from quarterly waterfall releases to
  {num_weeks}-week sprints.
I run Agile with a focus on outcomes rather than ceremonies; retrospectives are where most of our
  process improvements come from.
Our sprint predictability went from around 60% to over 90% within two quarters after we started
  estimating with story points and limiting work in progress.
I am comfortable with traditional waterfall planning as well, and I often use a hybrid approach
  for projects with fixed launch dates.
I have coached product owners on writing user stories with acceptance criteria, which made sprint
  planning much faster.
""")
STRONG_TOOLS = _bank("""
I led the selection and rollout of {tool} at {company}, including migrating {num_tasks} open
  tasks out of spreadsheets, writing the workflow conventions and training every team.
I have evaluated Jira, Asana, ClickUp and Monday.com for different teams, and I choose tools
  based on how the team actually works rather than on feature lists.
I am an administrator-level user of {tool} and have configured custom workflows, dashboards and
  automation rules.
When we rolled out {tool}, I ran short training sessions and wrote a one-page guide, so adoption
  reached the whole team within a month.
I use {tool} for sprint boards and {tool2} for content calendars and cross-team roadmaps.
Choosing project management software is less about the tool and more about agreeing on a shared
  workflow, and I have done that successfully at two companies.
Before recommending a tool I run a two-week pilot with one team and collect honest feedback.
""")
STRONG_MENTOR = _bank("""
I have mentored {mentee_count} junior project coordinators, two of whom are now project managers
  themselves.
I enjoy coaching people, and I hold regular one-on-ones focused on growth rather than status
  updates.
I set up a mentoring program for new hires at {company} that pairs each of them with a senior
  colleague for their first 90 days.
Developing talent is one of the parts of the job I value most; I give people stretch assignments
  and the support to succeed in them.
I encourage team members by recognizing good work publicly and giving specific, timely feedback
  privately.
Several people I coached have told me the most useful thing I did was help them break big, scary
  tasks into small, manageable ones.
I coached a struggling junior engineer into a confident team lead within a year, mostly through
  pairing and regular feedback.
""")
STRONG_LEAD = _bank("""
I am a strong team leader who guides people to their full potential and peak efficiency without
  micromanaging.
I currently lead a cross-functional team of {team_size} people and I am responsible for assigning
  and overseeing their daily tasks.
Leadership for me means setting clear expectations, removing obstacles and then trusting people
  to do great work.
I have managed teams both in the office and fully remote, and remote teams can be even more
  productive with the right structure.
My management experience has taught me to apply structured thinking and problem solving to
  people issues as well as technical ones.
I keep every team activity aligned with company milestones, so daily work always connects back
  to the bigger picture.
I hold myself to the standards I set for the team, and I am the first to volunteer for the
  unpleasant tasks.
""")
STRONG_PROCESS = _bank("""
I love finding where current processes break and fixing them; at {company} I cut our release
  cycle time by {pct}% by removing two redundant approval steps.
I have written SOPs and playbooks for onboarding, releases and content production so that
  processes repeat with minimal complexity.
I maintain all internal team documents in a single wiki and review them every quarter so they do
  not go stale.
I create and implement processes and policies for the whole team, and I always pilot them with a
  small group first.
I set up requirements templates and definition-of-done standards for our scheduled projects,
  which reduced rework noticeably.
Good documentation is part of the product; I make sure decisions, requirements and standards are
  written down where everyone can find them.
I standardized our release checklist, templates and naming conventions, which cut onboarding for
  new contractors from weeks to days.
""")
STRONG_TRAITS = _bank("""
I am highly organized and good at time management, and I have turned my own habits into simple
  guidelines that my team now uses.
I take full personal accountability for the projects I own; if something slips, I say so early
  and come with a recovery plan.
I am self-motivated and do not need to be told what to do next; I take pride in my work and
  execute persistently until it is done.
I take ownership of assigned tasks and see them through to completion, even when that means doing
  unglamorous work myself.
People describe me as calm under pressure, organized and reliable.
I protect my team's time as carefully as my own: fewer meetings, clearer agendas and written
  decisions.
I plan my week every Monday morning, block time for deep work and keep a running list of
  commitments so nothing slips.
""")
STRONG_AI = _bank("""
I have followed PyImageSearch since {follow_year} and worked through {course_name}, so I know
  your products from the customer side.
In my current role I managed the launch of {cv_product}, which gave me hands-on exposure to data
  labeling, model training and deployment timelines.
I want my next role to have a real impact in computer vision, deep learning and AI, and helping
  PyImageSearch ship new courses and books would be exactly that.
I have a working knowledge of Python, {lib} and the typical machine learning workflow, which helps
  me estimate and plan ML work realistically.
Managing machine learning projects is different from regular software: experiments fail,
  datasets need cleaning and timelines are uncertain, and I have learned to plan for that.
I recently managed a project to build {cv_product}, coordinating data scientists, annotators and
  backend engineers through to production.
Deep learning education matters to me because your tutorials on {course_topic} helped me
  understand what my engineering team was building.
I have experimented with {lib} on side projects, such as a small {course_topic} demo for my
  team's hackathon.
""")
STRONG_CERT = _bank("""
I hold the {cert} certification, and I use its framework pragmatically rather than by the book.
Earning my {cert} certification in {cert_year} gave me a common vocabulary with other project
  managers, but most of what I know comes from delivering real projects.
I am {cert} certified and keep my credential current through continuing education in Agile and
  risk management.
My {cert} training shows in how I run projects: clear charters, baselined schedules and
  disciplined change control.
""")
STRONG_CLOSE = _bank("""
I would welcome the chance to discuss how I can help PyImageSearch deliver its content roadmap on
  time and with less stress for everyone involved.
Thank you for considering my application; I have attached my resume and would be happy to share
  sample project plans and status reports.
I am available to start in early July and can work hours that overlap with US Eastern time.
I look forward to hearing from you.
Thank you for your time, and for the tutorials that got me started in computer vision.
If it helps, I am happy to do a short paid trial project so you can see how I work.
I can share references from engineers and executives I have worked with.
Thank you for reading, and I hope we get to talk soon.
""")
EXPERIENCE_DETAIL = _bank("""
In healthcare I learned to plan around HIPAA reviews, EHR integration testing and clinicians' very
  limited availability.
My fintech projects involved PCI audits, reconciliation jobs and regulators who expect every
  change to be documented.
On the manufacturing side I ran an ERP rollout across two plants and borrowed heavily from lean
  and Six Sigma methods.
In e-commerce everything revolves around the holiday peak, so I plan code freezes, load tests and
  war rooms months ahead.
Working for a public agency taught me procurement rules, accessibility requirements and patience
  with multi-level approvals.
In game development I coordinated artists, designers and engineers around milestone builds and
  console certification deadlines.
At a telecom operator I managed network upgrades that had to happen in overnight maintenance
  windows without dropping customers.
In publishing I managed manuscripts, copyedits, typesetting, printing schedules and the launch
  marketing for technical books.
For an online school I coordinated instructional designers, subject-matter experts, video editors
  and the LMS administrators.
My biotech experience involved validation protocols, lab equipment vendors and strict
  documentation for audits.
In logistics I worked on route optimization and warehouse scanners, where a single bad release can
  stop trucks from leaving.
In the energy sector I coordinated permits, site surveys, contractors and utilities for solar
  installations.
I have delivered projects for insurance underwriting teams, where actuaries, compliance officers
  and IT all had to sign off.
In cybersecurity projects I coordinated penetration tests, remediation sprints and SOC 2 evidence
  collection.
On robotics projects I learned to plan hardware lead times, firmware releases and field trials
  together.
In automotive I worked with suppliers on APQP timelines, PPAP submissions and launch readiness
  reviews.
At a media company I planned video shoots, licensing, captioning and distribution to several
  streaming platforms.
In higher education I managed grant-funded projects with quarterly reporting to the funding
  agency.
On a hospital project I coordinated nurses, physicians, IT and facilities for a go-live that
  happened overnight.
At a retail chain I rolled out new point-of-sale software to more than 300 stores in waves.
I have managed data migrations where cleansing, mapping and reconciliation took longer than the
  build itself.
My consulting background means I have worked with clients in banking, pharma and consumer goods,
  often under fixed-fee contracts.
I have coordinated localization into nine languages, including right-to-left scripts.
I have run vendor selections with formal RFPs, scoring matrices and reference checks.
I have handled GDPR requirements on projects that processed customer data in Europe.
I have managed hardware procurement with long lead times and customs delays.
In aviation maintenance software, every release went through traceability matrices and FAA-style
  documentation.
In agriculture technology I scheduled field pilots around planting and harvest seasons, which
  cannot be moved.
At a nonprofit I balanced donor reporting, volunteer coordinators and a shoestring budget.
In legal tech I coordinated attorneys, paralegals and engineers on a contract-review tool with
  strict confidentiality rules.
In hospitality I launched a booking engine for a hotel group with properties on three continents.
In construction I tracked subcontractors, inspections and change orders on a mid-rise residential
  building.
In pharmaceuticals I supported a clinical-trial data platform where every change needed a
  validated paper trail.
In real estate I rolled out a tenant portal for rent payments and maintenance requests.
In the nonprofit sector I learned to run projects on volunteers' goodwill rather than authority.
In broadcasting I coordinated live events where the deadline is literally the moment you go on
  air.
At an esports company I organized tournaments, sponsorship deliverables and streaming
  infrastructure.
In food delivery I worked on dispatch algorithms, courier onboarding and restaurant partnerships.
In banking I led a core-system upgrade that required weekend cutovers and rehearsed rollback
  plans.
In semiconductor manufacturing I coordinated tool installations, yield engineers and suppliers in
  Taiwan.
In marketing technology I managed integrations with ad networks, analytics vendors and CRMs.
""")
ACHIEVEMENTS = _bank("""
Last year I cut our vendor invoice processing time from eleven days to three.
I recovered a failing data center consolidation that was four months behind schedule.
I organized a hackathon that produced two features now used by paying customers.
I negotiated a 20% discount with our cloud provider by consolidating accounts.
I replaced a tangle of email approvals with a simple intake form and a weekly triage meeting.
I introduced quarterly planning, which gave our executives a realistic view of capacity.
I wrote the playbook we now use for every product launch, from beta invitations to press
  releases.
I reduced escaped defects by half by adding a lightweight acceptance checklist to every ticket.
I set up our first customer advisory board and ran its meetings for two years.
I led the response to a major outage, coordinating engineering, support and communications
  through the night.
I onboarded a nearshore development team in Colombia and integrated them into our sprints within
  a month.
I built a capacity model in a spreadsheet that finance still uses for hiring plans.
I got a stalled accessibility project unstuck by breaking it into twelve small, shippable fixes.
I coordinated the move of 40 microservices to Kubernetes without customer-visible downtime.
I ran the tender for a new warehouse management system and oversaw its implementation.
I organized our company's first remote all-hands and the onboarding program that followed.
I consolidated five overlapping dashboards into one source of truth for the leadership team.
I introduced office hours for stakeholders, which cut ad-hoc interruptions to engineers
  noticeably.
I helped our team pass an ISO 27001 audit on the first attempt.
I launched a customer education portal with tutorials, webinars and certification quizzes.
I piloted a four-day sprint cadence during the summer to reduce burnout.
I coordinated the translation and release of our mobile app in Brazil, Mexico and Spain.
I turned a backlog of 900 unprioritized tickets into a roadmap the team could actually commit to.
I shepherded a partnership integration with a much larger company through legal, security and
  engineering reviews.
I ran the beta program for our hardware device with 150 early customers.
""")
MOTIVATION = _bank("""
I first found PyImageSearch while searching for a way to detect faces in my vacation photos.
Your blog post about building a deep learning rig convinced me to buy my first GPU.
I like that PyImageSearch explains complicated topics with practical code instead of jargon.
I admire how consistently you publish new tutorials every Monday.
I have recommended your books to several colleagues who wanted to get into computer vision.
The idea of helping thousands of students learn computer vision is genuinely exciting to me.
I am drawn to small companies where one person's work is visible and makes a difference.
Remote work suits me; I have been fully remote since 2017 and I know how to stay disciplined.
I want to work somewhere that values craftsmanship over bureaucracy.
I have been looking for a role that combines my technical background with my love for teaching.
The combination of education, software and publishing in one company is rare and appealing.
Your posting was refreshingly honest about the expectations, which made me want to apply even
  more.
I taught myself Python through online tutorials, so I know how valuable good educational content
  is.
I would love to work on the operations behind books and courses that I have personally used.
I am ready for a role with more ownership than my current one allows.
""")
CAREER = _bank("""
I started my career in customer support and gradually took on more coordination work.
After college I joined a small agency where everyone wore many hats.
My first job was at a startup that ran out of money, which taught me a lot about priorities.
I moved from teaching into operations three years ago.
I spent two years in the Peace Corps coordinating community projects in rural Ghana.
I worked my way up from intern to team lead in four years.
I took a career break to care for a family member and recently returned to work.
I changed careers from architecture to software because I wanted faster feedback loops.
I have worked in three industries so far: hospitality, retail and software.
I was part of the team that opened our company's first office outside the United States.
I relocated to {city} last year and I am looking for a remote position.
I have been freelancing as a virtual assistant for startup founders, managing their calendars,
  vendors and small projects.
I handled scheduling for a dental practice with five dentists and two hygienists.
In the military I was responsible for equipment, training schedules and a team of twelve
  soldiers.
I organized the logistics for a nonprofit conference with 800 attendees and forty speakers.
""")
PERSONAL = _bank("""
Outside work I restore vintage motorcycles, which has taught me a lot about patience and
  sequencing.
On weekends I coach my daughter's soccer team, which is project management with more snacks.
I volunteer at an animal shelter and help organize their adoption events.
I am training for my third marathon, and my training plan is basically a Gantt chart.
I play cello in a community orchestra.
I built a Raspberry Pi bird feeder camera that identifies the species visiting my garden.
I have lived in four countries and I am comfortable working across cultures.
I brew my own beer and keep meticulous notes on every batch.
I am an amateur astronomer and spend clear nights photographing galaxies.
I maintain a small open-source library with a few hundred stars on GitHub.
I tutor high school students in algebra twice a week.
I love rock climbing; it taught me to plan carefully and trust my partner.
I write a small newsletter about productivity tools for remote teams.
I am a certified scuba diver and love planning trips to remote islands.
I grow vegetables in a community garden and coordinate the watering schedule for twenty plots.
My hobby is woodworking; I recently built a dining table from reclaimed oak.
I organize a monthly meetup for local project managers.
I am learning Japanese and practice with language exchange partners online.
I enjoy sketching and watercolor painting in my free time.
I mentor students at a coding bootcamp on weekends.
I have a 3D printer and like designing small gadgets for my apartment.
I once cycled across Portugal with two friends, which required a surprising amount of logistics.
I sing in a choir and manage our concert calendar.
I am a huge fan of board games, especially long strategic ones.
I foster kittens for a local rescue organization.
I referee youth basketball games on Saturdays.
I am renovating an old farmhouse with my partner, one room at a time.
I am a volunteer firefighter in my small town.
I keep bees and sell the honey at a farmers market.
I host a podcast about careers in technology with about a thousand listeners.
I restore antique clocks, a hobby that rewards patience and careful disassembly.
I run a small Etsy shop selling hand-bound notebooks.
I have completed two half Ironman triathlons.
I volunteer as a tax preparer for low-income families every spring.
I play chess online almost every evening.
I teach a beginner photography class at our community center.
I spend my summers sailing on Lake Michigan.
I am slowly reading every book on the Hugo award list.
I help organize a yearly charity hackathon for local nonprofits.
I am an avid cyclist and commute by bike all year, even in the snow.
""")
STRONG_THEMES = (
    STRONG_PLAN, STRONG_SCOPE, STRONG_MILESTONE, STRONG_RISK, STRONG_COMM, STRONG_AGILE,
    STRONG_TOOLS, STRONG_MENTOR, STRONG_LEAD, STRONG_PROCESS, STRONG_TRAITS,
)

MID_OPEN = _bank("""
I am applying for the Technical Project Manager position I saw on your website.
I am interested in the project manager role at PyImageSearch.
I would like to be considered for the Technical Project Manager job.
I am writing to express my interest in the project manager position.
I came across your job posting and I think my experience is a good match.
I have been looking for a remote project management role and this one caught my attention.
A friend sent me your job post and I decided to apply.
I am excited to apply for this role because I have been wanting to move into project management.
Please accept this as my application for the project manager opening.
I am reaching out about the Technical Project Manager position.
I believe I would be a good addition to your team as a project manager.
Greetings! I am applying for the remote project manager job.
""")
MID_EXP = _bank("""
I have {years} years of experience coordinating projects at {company}.
In my current job as {a_title} I help plan projects and keep track of deadlines.
I have worked on several projects where I was responsible for scheduling and following up with
  team members.
I have some experience managing small teams and organizing work.
I organize weekly meetings and keep notes for my team.
I have used {tool} to organize tasks and track progress.
At my last job I coordinated between the sales team and the developers.
I have helped launch a couple of products, mostly on the coordination side.
I am familiar with Agile and have attended daily standups and sprint planning meetings.
I make sure that tasks are done on time and that everyone knows what they need to do.
I recently completed the Google Project Management Certificate and I am eager to apply what I
  learned.
I have prepared progress reports for my manager and kept our project documentation up to date.
I am studying for the PMP exam and plan to take it later this year.
I was responsible for the budget of our department's events, around {small_budget} per year.
I helped my team switch from email threads to {tool}, which made it easier to see who was doing
  what.
I like to make checklists and timelines so nothing falls through the cracks.
I have dealt with difficult clients and always tried to keep communication clear and polite.
I have basic knowledge of Python and I am interested in machine learning.
I have read some of your blog posts about computer vision and found them very helpful.
I think AI is the future and I would like to be part of a company working in that area.
I have been the team lead for a small group of {small_team} people.
I am comfortable working remotely and managing my own schedule.
I sometimes step in as scrum master when ours is on vacation.
I track risks in a spreadsheet and tell my manager when something looks off.
I moved our team's files to a shared drive and wrote instructions for everyone.
As {a_title} at {company} I am the main point of contact for our clients.
I have coordinated vendors, budgets and timelines for events with more than 200 attendees.
I am good at keeping people on track without being pushy.
In my last role I created a simple process for handling customer requests that my manager later
  rolled out to the whole office.
I have worked with developers before, so I understand the basics of how software gets built.
I have experience with Microsoft Excel, Trello and Google Sheets for tracking tasks.
I handled purchase orders, invoices and vendor contracts for our {domain} clients.
Our department adopted Kanban boards last year and I was the one who kept them up to date.
I have organized trade show booths, product demos and training webinars.
I wrote the onboarding checklist that every new hire in our office now receives.
I reconcile the monthly budget and report any overspending to the director.
I am the go-to person on my team when deadlines get tight.
Our clients include hospitals, school districts and a few regional banks.
I helped migrate our customer records from an old database to Salesforce.
I have coordinated translations, reviews and approvals for marketing campaigns in four
  languages.
I supervised the installation of new point-of-sale terminals in twelve stores.
During the pandemic I helped my company move all of its training online within three weeks.
I prepare meeting agendas, take minutes and follow up on action items.
I collaborate closely with designers, copywriters and web developers.
I managed the renovation schedule for our warehouse while it stayed open.
I am familiar with Gantt charts and critical path scheduling from my coursework.
I volunteer as the coordinator for a local robotics club for teenagers.
I have taken online courses on Coursera about Agile, Scrum and leadership.
I helped our QA team organize regression testing before each release.
I keep a shared calendar of deadlines for our whole department.
I was promoted twice in three years because I take ownership of problems.
""")
MID_CLOSE = _bank("""
Thank you for considering my application.
I hope to hear from you soon.
Please let me know if you need any more information.
I would appreciate the opportunity to interview for this position.
Thank you for your time and consideration.
I look forward to learning more about this opportunity.
Thanks again, and have a great day.
I am happy to provide references on request.
I hope my application stands out among the many you will receive.
""")

WEAK_OPEN = _bank("""
I am applying for this job.
I saw your job posting online and wanted to apply.
I am interested in this position.
I would like to apply for the job.
I am looking for a new opportunity and found your post.
Please consider me for this role.
Hi, I want this job.
I found this job on Indeed.
I am writing because I need a remote job.
My name is {first} and I am applying.
""")
FILLER = _bank("""
I am a hard worker and a fast learner.
I have always been passionate about helping people and working with others.
I am a people person and I get along with everyone.
I am very reliable and I never miss a day of work.
I believe I have the skills needed for this job.
I am looking for a position where I can grow and learn new things.
I have good communication skills, both written and verbal.
I am honest, punctual and always willing to go the extra mile.
My friends say I am very organized.
I am proficient in Microsoft Word, Excel and PowerPoint.
I want to work for a company that values its employees.
I am a motivated individual who is eager to take on new challenges.
Working from home would be perfect for me because of my family situation.
I can work under pressure and meet deadlines.
I have a positive attitude and I am always willing to help.
In my free time I enjoy {hobby}.
I am detail oriented and I like things to be done right.
I think this job would be a good opportunity for me.
I don't have much experience with project management, but I am willing to learn.
I am currently unemployed and looking for a stable job.
I have worked with computers my whole life.
I am a team player and can also work independently.
Money is not the most important thing for me; I want a job I can be proud of.
I learn quickly and I am not afraid to ask questions.
My previous employers were always happy with my work.
I am a quick learner with a strong work ethic.
I am excited about the possibility of working with your company.
I believe that everything is possible with hard work.
I am available to start immediately.
I am very good with people and I can solve problems.
I have a lot of patience and I stay calm with angry customers.
Technology has always fascinated me, even though I have not worked in the field yet.
I am a parent of two and very good at multitasking.
I recently moved to {city} and I am looking for remote work.
I type 60 words per minute.
Honestly I am not sure what a technical project manager does day to day, but I am ready to learn.
I consider myself a lifelong learner.
I have excellent attendance and I am never late.
My greatest strength is my dedication.
I am bilingual in English and Spanish.
I enjoy solving puzzles and figuring out how things work.
I am passionate about technology and innovation.
I can adapt to any situation.
I am looking for a long-term career, not just a job.
People tell me I have a good sense of humor, which helps in stressful situations.
My background is a bit unusual, but I believe it gives me a fresh perspective.
I would bring energy and enthusiasm to your team.
I am comfortable with Zoom, Slack and Google Docs.
I have a reliable laptop and a fast internet connection at home.
I recently finished an online course about digital marketing.
My family has always encouraged me to pursue a career in technology.
I am available on weekends and evenings as well.
I am a natural leader and people tend to follow my lead.
I am good at remembering names and details.
I grew up on a farm, so I know the value of hard work.
I never give up until the job is done.
I was laid off in March because of the pandemic and I have been applying everywhere since.
My last company closed its office in April.
I have two kids and I can only work during school hours.
I am a recent graduate and this would be my first full-time job.
I am currently finishing my degree online.
I have been a freelancer on Upwork and Fiverr for two years.
I am looking to switch careers after ten years in hospitality.
""")
OFFTOPIC = _bank("""
I worked as {a_prev_job} at {prev_place} for {small_years} years.
In my role as {a_prev_job} I dealt with customers every day.
Before that I was {a_prev_job2} for a few years.
I graduated with a degree in {field_any} and have been looking for work in that field.
I have experience with social media and content creation.
I was employee of the month twice at {prev_place}.
I have taken care of scheduling shifts for my coworkers when my manager was away.
I speak two languages fluently.
I trained new hires at {prev_place} and showed them how to use the register.
I handled cash and closed the store at night.
For the past {small_years} years I have been a stay-at-home parent, and I am ready to return to
  work.
I managed the inventory and the weekly orders at {prev_place}.
I served in the army for four years as a logistics specialist.
I ran my own small cleaning business for a while.
I drove for a delivery company and always finished my routes on time.
I worked the night shift at {prev_place} while going to community college.
As {a_prev_job} I learned how to handle stressful situations.
My last position was seasonal, so I am currently between jobs.
I have a real estate license and sold eleven houses last year.
I am a licensed cosmetologist.
I was a flight attendant for six years before the airline cut staff.
I ran a food truck with my brother for two summers.
I taught English in South Korea for three years.
I have been working as a bookkeeper for several small businesses.
""")
WEAK_CLOSE = _bank("""
Thank you.
Thanks for reading.
Hope to hear from you.
Please give me a chance.
Thank you for your consideration.
God bless.
Have a blessed day.
Waiting for your reply.
Thanks in advance.
""")
SHORT_ANSWERS = _bank("""
I need a job.
Hire me please
I am hard working and can learn fast.
I want to work from home.
Looking for remote job. Thanks
I have good communication skills.
Because I am the best.
I am good at managing things
i need this job pls
Please check my resume
See attached resume.
I'm a quick learner and a team player.
I am a great fit because I am motivated.
Im very interested
I can do this job
i am organized and i like computers
Yes
Because I have experience.
See my LinkedIn.
I would be great for this role!!!
""")
JUNK_ANSWERS = _bank("""
asdf
asdfasdf
test
.
-
x
n/a
N/A
na
...
qwerty
lorem ipsum
{linkedin_url}
https://drive.google.com/file/d/1{hex12}/view?usp=sharing
www.{slug}.com
see https://{slug}.github.io
""")

DUP_PS = _bank("""
P.S. I am resubmitting because my resume did not upload the first time.
Resubmitting with my updated resume.
Sorry for the second application, I noticed a mistake in my first one.
I applied a few days ago but wanted to update my answers.
""")
DUP_WORD_SWAPS = (
    ("I am excited", "I am thrilled"),
    ("I am ", "I'm "),
    ("Thank you", "Many thanks"),
    (" help ", " support "),
    ("very ", "really "),
    ("I have ", "I've "),
)

# "Tell us about a project you led from idea to launch"
PROJ_CONTEXT = _bank("""
At {company} I led {project} from the first idea to launch.
The project I am proudest of is {project}, which I led at {company} in {proj_year}.
In {proj_year} our CEO asked me to turn a rough idea, {project}, into a shipped product in
  {num_months} months.
As {title} at {company} I owned {project} end to end, from the business case to the launch and
  the first months in production.
I led {project} at {company}, {company_desc}.
My favorite example is {project}: I was the project manager from the whiteboard sketch to the
  public release.
Two years ago {company} decided to go ahead with {project}, and I was asked to lead it.
""")
PROJ_IDEA = _bank("""
It started as a one-paragraph idea from the leadership team, so my first step was to interview
  stakeholders and write down the goals, constraints and success metrics.
I ran a two-week discovery phase with customers and engineers to agree on scope before
  committing to a date.
Before any work started I wrote a project charter with the goals, scope, budget of {budget},
  timeline and the people responsible for each decision.
The first thing I did was separate the must-haves from the nice-to-haves with the product owner,
  which cut the initial scope almost in half.
We validated the idea with a small prototype and ten customer interviews before asking for the
  full budget.
I spent the first week shadowing the people who would use the product, which changed several of
  our assumptions.
I drafted a lean canvas and a rough cost estimate, and the executive team approved a first phase
  with a fixed budget.
Together with the sponsor I agreed on three measurable goals and a list of explicit non-goals.
""")
PROJ_PLAN = _bank("""
I broke the work into {num_milestones} milestones, each with clear deliverables and an owner, and
  built the schedule in {tool}.
We planned the work in {num_weeks}-week sprints with a definition of done for every deliverable.
I set up a {cadence} status report for leadership with milestones, risks and decisions needed.
I created the work breakdown structure and mapped the critical path before committing to a
  launch date.
Every deliverable, from {deliverable} to {deliverable2}, had a due date and a single owner.
I organized the roadmap into an alpha, a closed beta and a public launch, each with exit
  criteria.
Dependencies on other teams went into a shared tracker that we reviewed every Tuesday.
""")
PROJ_TEAM = _bank("""
The team was {team_size} people: {team_kind}.
I assigned owners for each workstream and held a short weekly review with all the leads.
I brought in two contractors for the busiest month and onboarded them in a day using the
  documentation we had written.
Half of the team was new to {method}, so I coached them through the first few sprints.
Two designers, a data engineer and a part-time copywriter joined halfway, so I rebalanced the
  plan around them.
I negotiated with three department heads to borrow the specialists we needed for six weeks.
""")
PROJ_RISK_ML = _bank("""
Halfway through, our annotation vendor fell behind, so I re-planned the labeling work, brought
  part of it in-house and protected the launch date.
Model accuracy was below target at the first milestone, so we added a data-cleaning sprint and
  adjusted the timeline with the sponsor's approval.
Training runs were taking days, so I negotiated a GPU budget increase and scheduled experiments so
  the team never waited idle.
""")
PROJ_PLAN_ML = (
    "I created the work breakdown structure and mapped the critical path, which showed us that"
    " data labeling, not engineering, would decide the launch date."
)
PROJ_RISK = _bank("""
The biggest risk was integrating with a legacy system nobody fully understood; we de-risked it
  with a spike in the first sprint.
Two weeks before launch we found a performance problem; because we had kept a buffer in the
  schedule, we fixed it without moving the date.
When our lead engineer left in the middle of the project, I reassigned the work, paired a junior
  developer with a contractor and kept stakeholders informed every week.
A key stakeholder wanted to add features late in the project; I showed the trade-off in time and
  budget and we agreed to move them to a second release.
Our payment provider changed its API a month before launch; I had the team build an adapter
  first and moved lower-value features to the next release.
Legal review took longer than planned, so I ran it in parallel with user testing instead of
  after it.
""")
PROJ_LAUNCH = _bank("""
We launched on schedule and {result}.
The launch went smoothly, and {result}.
We shipped one week early, and {result}.
We launched on the date we committed to in the kickoff meeting, within budget, and {result}.
""")
PROJ_LESSON = _bank("""
The main lesson for me was that written decisions and a visible milestone tracker save more time
  than any meeting.
Afterwards I ran a retrospective and turned what we learned into a launch checklist that other
  teams now use.
I learned to involve support and marketing much earlier than I used to.
What made the difference was a shared plan that everyone could see and update.
If I did it again, I would invest in automated testing even earlier.
The retrospective taught us to size work smaller; since then our estimates have been far more
  reliable.
I still use the communication plan from that project as a template.
""")
PROJ_MID = _bank("""
I helped plan {small_project} at {company}.
I led a small project to set up {tool} for our team.
The goal was to replace a messy set of spreadsheets with one shared tool.
I interviewed the people who would use it and wrote down their requirements.
I was not the official project manager, but I ended up doing most of the coordination.
The project took about {num_months} months and we had a team of {small_team} people.
I made a timeline and a task list in {tool} and followed up with everyone every week.
I created a shared spreadsheet to track the budget and the deadlines.
Our budget was small, so we used free tools wherever we could.
I scheduled a demo every two weeks so people could give feedback early.
I kept my manager updated and made sure everyone knew their tasks.
The hardest part was getting everyone to agree on the priorities.
We had some delays because one of the vendors was late, but we still finished close to the date.
One team member was out sick for two weeks, so we shuffled tasks around.
We launched the new system and people started using it right away.
After launch I wrote a short guide and trained the staff.
We finished on time and the client was happy with the result.
At the end we had a short meeting to talk about what went well and what to improve.
I learned a lot about communication and planning from this project.
""")
PROJ_WEAK = _bank("""
I planned my cousin's wedding with about 150 guests.
I organized a charity run at my church.
I coordinated a neighborhood yard sale with twenty families.
I was in charge of the decorations for our company picnic.
I planned a birthday party for 40 people in two weeks.
In school I was the leader of our group project.
I have not led a project yet but I have helped with many.
I made a list of everything we needed and called all the vendors.
I had to make sure everything was ready on time.
It was a lot of work but we did it.
We sold almost everything in one day.
My boss said it was the best event we had ever had.
It went well and everyone was happy.
We got an A.
""")
PROJ_SHORT = _bank("""
N/A
none
I don't have one yet.
See resume
Please see my resume.
I have led many projects.
Not yet
-
Too many to list.
I will tell you in the interview.
""")

# Spanish (~3% of applicants) and Chinese (~2%): realistic answers in the applicant's language.
ES_GREETINGS = _bank("""
Estimado equipo de PyImageSearch:
Estimados señores:
Hola Adrian:
A quien corresponda:
""")
ES_OPEN = _bank("""
Me dirijo a ustedes para postularme al puesto de Technical Project Manager.
Les escribo con mucho interés por la vacante de gerente de proyectos técnicos.
Quisiera presentar mi candidatura para el puesto de Technical Project Manager que publicaron en su
  blog.
Vi su oferta de trabajo y creo que mi experiencia encaja muy bien con lo que buscan.
""")
ES_BODY = _bank("""
Tengo {years} años de experiencia como gerente de proyectos en el sector de {es_domain}.
En mi trabajo actual en {company} coordino un equipo de {team_size} personas entre
  desarrolladores, diseñadores y analistas.
He liderado proyectos desde la idea inicial hasta el lanzamiento, definiendo el alcance, el
  presupuesto y el cronograma.
Utilizo metodologías ágiles como Scrum y Kanban, y herramientas como {tool} para dar seguimiento
  a las tareas.
Preparo informes semanales de avance con los hitos alcanzados, los entregables pendientes y los
  riesgos identificados.
Me considero una persona organizada, responsable y con mucha iniciativa.
Me interesa mucho la visión por computadora y el aprendizaje profundo; he seguido varios de sus
  tutoriales.
He implementado procesos y documentación para que el equipo trabaje de forma más eficiente.
También he tenido la oportunidad de capacitar y acompañar a los nuevos miembros del equipo.
Mi nivel de inglés es intermedio, pero puedo comunicarme por escrito sin problema.
Disculpen que escriba en español, me expreso mejor en mi idioma.
Puedo trabajar de forma remota y tengo disponibilidad inmediata.
Me gustaría aportar mi experiencia a una empresa que enseña inteligencia artificial a miles de
  personas.
Uno de mis logros fue reducir en un {pct}% los retrasos en las entregas gracias a una mejor
  planificación.
Siempre mantengo una comunicación clara con los clientes y con la dirección.
Tengo experiencia gestionando riesgos y resolviendo bloqueos antes de que afecten el calendario.
Organizo reuniones breves de seguimiento para resolver problemas y mantener al equipo alineado.
Me gusta medir los resultados y mejorar los procesos después de cada entrega.
Durante los últimos años he trabajado con equipos distribuidos en varios países.
Mi formación en ingeniería me permite entender los retos técnicos de los proyectos.
He gestionado presupuestos de más de {budget} sin desviaciones importantes.
Creo firmemente en la mejora continua y en la documentación clara.
Me apasiona la educación y creo que sus cursos tienen un gran impacto.
He coordinado lanzamientos de productos digitales con los equipos de marketing y soporte.
En mi empresa anterior lideré la migración de los servidores a la nube sin interrumpir el
  servicio.
Coordiné a proveedores externos y negocié plazos y costos.
Me adapto con facilidad a los cambios y aprendo rápido nuevas herramientas.
He participado en la definición de estándares y plantillas para toda la organización.
Considero que la transparencia y la confianza son la base de un buen equipo.
Estoy convencido de que puedo aportar orden, claridad y resultados.
Además, tengo conocimientos básicos de Python y de bases de datos.
""")
ES_CERT = "Cuento con la certificación {cert} desde {cert_year}."
ES_NO_CERT = "Actualmente me estoy preparando para obtener la certificación PMP."
ES_CLOSE = _bank("""
Muchas gracias por su tiempo y consideración.
Quedo a la espera de su respuesta.
Agradezco de antemano la oportunidad.
Quedo a su disposición para una entrevista.
""")
ES_SIGNOFFS = ("Saludos cordiales,\n{first} {last}", "Atentamente,\n{first}", "Un saludo,\n{first}")
ES_PROJECT = _bank("""
Lideré la implementación de un sistema de gestión de inventarios para una cadena de tiendas en
  {city}.
El proyecto comenzó como una idea del director general y lo convertimos en un plan con fases,
  hitos y responsables.
Trabajamos en sprints de dos semanas con un equipo de {team_size} personas.
El mayor reto fue la integración con el sistema antiguo, que resolvimos con pruebas piloto.
Lanzamos a tiempo y dentro del presupuesto, y la satisfacción de los usuarios aumentó
  notablemente.
Desarrollamos una aplicación móvil para reservar citas médicas, desde el diseño hasta la
  publicación en las tiendas.
Definí el alcance con el cliente y preparé un cronograma detallado en {tool}.
Cada semana presentaba un informe de avance al comité directivo.
Cuando un proveedor se retrasó, ajusté el plan y reasigné tareas para no mover la fecha de
  lanzamiento.
Al final hicimos una retrospectiva y documentamos las lecciones aprendidas.
""")
ZH_OPEN = _bank("""
您好！我想申请贵公司的技术项目经理职位。
尊敬的招聘负责人：您好！
我对PyImageSearch的技术项目经理岗位非常感兴趣，
  特此提交申请。
我在贵公司的博客上看到了招聘信息，希望能加入你们的团队。
""", joiner="")
ZH_BODY = _bank("""
我有{years_zh}年的项目管理经验，主要负责软件产品从立项到上线的全过程。
目前我在{company}担任项目经理，带领一个{team_size}人的团队，
  包括开发、测试和设计人员。
我熟悉敏捷开发流程，长期使用Scrum和看板方法管理迭代。
我常用的项目管理工具有{tool}和Microsoft Project。
我负责制定项目计划，明确范围、预算和时间表，并跟踪每个里程碑和交付物。
每周我都会向管理层提交项目进度报告，及时说明风险和可能出现的问题。
我善于发现项目中的障碍，并主动协调资源解决问题，保证项目按时交付。
我曾经指导过几位新入职的同事，帮助他们快速成长。
我对计算机视觉和深度学习非常感兴趣，也读过很多你们的教程。
我的英语阅读和写作能力良好，可以与海外团队顺畅沟通。
我为团队建立了文档规范和工作流程，减少了重复劳动。
我做事认真负责，有很强的时间管理能力和自我驱动力。
我希望能加入一个在人工智能领域有影响力的团队。
我们曾经在{num_months_zh}个月内完成了一个图像识别项目的开发和部署。
我习惯定期召开团队会议，解决项目中的问题和挑战。
我注重和各方的沟通，确保所有相关人员都了解项目的最新进展。
""", joiner="")
ZH_CERT = "我于{cert_year}年取得了{cert}认证。"
ZH_CLOSE = _bank("""
感谢您抽出时间阅读我的申请，期待您的回复！
谢谢！
期待有机会与您进一步交流。
""", joiner="")
ZH_PROJECT = _bank("""
我主导过一个人脸识别门禁系统项目，从需求调研到上线用了{num_months_zh}个月。
项目初期我组织了需求评审会议，明确了功能范围和验收标准。
我们把项目拆分成多个里程碑，每两周进行一次迭代评审。
过程中最大的风险是数据标注进度落后，我协调外包团队并调整了计划。
最终项目按时上线，识别准确率达到98%以上，客户非常满意。
我负责过一个电商平台的会员系统重构项目，团队共有{team_size}人。
我用{tool}管理任务，每天开站会，及时发现并解决阻塞问题。
上线后我们做了复盘，把经验整理成了团队的标准流程。
""", joiner="")


# --------------------------------------------------------------------------- helpers


class Slots(dict):
    """Values for {slots} in one person's text, drawn lazily so a letter stays consistent."""

    def __init__(self, rng: random.Random, preset: dict[str, str]) -> None:
        super().__init__(preset)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        if key.startswith("a_"):  # "{a_title}" -> "an Operations Manager"
            word = self[key[2:]]
            vowel = word[:1] in "AEFHILMNORSX" if word[:2].isupper() else word[:1] in "aeiouAEIOU"
            return ("an " if vowel else "a ") + word
        base = key.rstrip("0123456789")
        pool = POOLS[base]
        value = self.rng.choice(pool)
        if base != key:
            for _ in range(6):
                if value != self.get(base):
                    break
                value = self.rng.choice(pool)
        self[key] = value
        return value


def weighted(rng: random.Random, pairs: tuple[tuple[object, float], ...]) -> object:
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


class Table:
    """A fixed weighted table, searched by bisection (hot path: locations, names, phones)."""

    def __init__(self, pairs: tuple[tuple[object, float], ...]) -> None:
        self.values = [v for v, _ in pairs]
        self.cum: list[float] = []
        total = 0.0
        for _, w in pairs:
            total += w
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> object:
        i = bisect_right(self.cum, rng.random() * self.total)
        return self.values[min(i, len(self.values) - 1)]


def ascii_fold(text: str) -> str:
    text = text.translate(ASCII_FOLD)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def slug(text: str) -> str:
    return "".join(c for c in ascii_fold(text).lower() if c.isascii() and c.isalnum())


def fill_digits(rng: random.Random, template: str) -> str:
    k = template.count("#")
    digits = iter(f"{rng.randrange(10**k):0{k}d}")
    return "".join(next(digits) if c == "#" else c for c in template)


def phone_digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())[-9:]


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=8).digest()


def fmt_cognito(dt: datetime) -> str:
    hour = dt.hour % 12 or 12
    return f"{dt.month}/{dt.day}/{dt.year} {hour}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"


def fmt_iso_utc(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return (dt + UTC_OFFSET).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def years_text(rng: random.Random, years: int, tidy: bool) -> str:
    """Years of experience the way people type them ("5+", "3-5 years", "ten", "N/A")."""
    if years <= 0:
        return rng.choice(("none", "0", "N/A", "less than 1", "6 months", "No experience", "",
                           "0 years", "None", "n/a", "-"))
    word = NUMBER_WORDS[years] if years < len(NUMBER_WORDS) else str(years)
    styles = [
        f"{years}", f"{years} years", f"{years}+", f"{years}+ years", f"{years} yrs", word,
        f"about {years}", f"over {years} years", f"{word} years", f"{years} Years",
    ]
    if not tidy:
        styles += [f"{max(years - 1, 0)}-{years + 1}", f"{years}.5", "N/A", f"{years}years",
                   f"~{years}", f"{word.capitalize()}", f"{years} yr"]
        if 3 <= years <= 5:
            styles.append("3-5 years")
        if years == 1:
            styles += ["less than 1", "1 year", "one year"]
    if years >= 15:
        styles.append("15+ years")
    if years >= 10:
        styles += ["10+", "10 yrs", "10+ years"]
    if years >= 5:
        styles.append("5+")
    return rng.choice(styles)


def apply_typos(rng: random.Random, text: str) -> str:
    present = [(good, bad) for good, bad in TYPOS if good in text]
    if not present:
        return text
    for good, bad in rng.sample(present, min(len(present), rng.choice((1, 1, 1, 2, 2, 3)))):
        text = text.replace(good, bad, rng.choice((1, 1, 2)))
    return text


def has_typo(text: str) -> bool:
    return any(token in text for token in TYPO_TOKENS)


def assemble(
    rng: random.Random,
    slots: Slots,
    paragraphs: list[list[str]],
    fixed_first: int,
    fixed_last: int,
    min_words: int,
    max_words: int,
    padding: tuple[str, ...],
) -> str:
    """Format the chosen sentences, then trim or pad the body to a word budget.

    The first `fixed_first` and last `fixed_last` paragraphs (greeting, sign-off) are kept as
    they are, and so are the body's opening and closing sentences. Trimming takes from the
    longest paragraph; padding goes in before the closing sentence.
    """
    paras = [[s.format_map(slots) for s in para] for para in paragraphs]
    counts = [[len(s.split()) for s in para] for para in paras]
    total = sum(map(sum, counts))
    middle = range(fixed_first, len(paras) - fixed_last)
    if not middle:
        return "\n\n".join(" ".join(para) for para in paras if para)
    first_p, last_p = middle[0], middle[-1]

    def removable(p: int) -> range:
        lo = 1 if p == first_p else 0
        hi = len(paras[p]) - 1 if p == last_p else len(paras[p])
        return range(lo, hi) if len(paras[p]) > 1 else range(0)

    while total > max_words:
        sizes = [(len(removable(p)), p) for p in middle]
        best = max(sizes)[0]
        if best == 0:
            break
        p = rng.choice([p for size, p in sizes if size == best])
        k = rng.choice(removable(p))
        total -= counts[p].pop(k)
        paras[p].pop(k)
    tries = 0
    while total < min_words and tries < 40:
        tries += 1
        sentence = rng.choice(padding).format_map(slots)
        p = rng.choice(middle)
        if any(sentence in para for para in paras):
            continue
        k = len(paras[p]) - 1 if p == last_p and paras[p] else len(paras[p])
        if p == first_p and k == 0 and paras[p]:
            k = 1
        paras[p].insert(k, sentence)
        counts[p].insert(k, len(sentence.split()))
        total += counts[p][k]
    return "\n\n".join(" ".join(para) for para in paras if para)


def in_order(bank: tuple[str, ...], chosen: list[str]) -> list[str]:
    """Chosen sentences in the bank's order, which is the order a story is told in."""
    return sorted(chosen, key=bank.index)


def bullets(rng: random.Random, sentences: list[str]) -> list[str]:
    """One paragraph rendered as a pasted bullet list (single newlines inside the cell)."""
    head = rng.choice(("Highlights:", "A few things I bring:", "Key experience:", "In short:"))
    return [head + "\n" + "\n".join("- " + s for s in sentences)]


# --------------------------------------------------------------------------- the plan


class Plan:
    """Who is who, decided up front so rows can stream: times, roles, duplicate sources.

    Memory is a few bytes per row (sorted minute offsets and a role byte), plus small dicts.
    """

    def __init__(self, rows: int, seed: int) -> None:
        self.rows = rows
        self.seed = seed
        rng = random.Random(seed)
        self.minutes = self._times(rng, rows)
        self.boundary_on_time: list[int] = []
        self.boundary_late: list[int] = []
        n_late = sum(1 for m in self.minutes if m > DEADLINE_MINUTE)
        n_on = rows - n_late
        if n_on >= 3 and n_late >= 3:
            for i in (n_on - 2, n_on - 1):
                self.minutes[i] = DEADLINE_MINUTE
                self.boundary_on_time.append(i)
            for i in (n_on, n_on + 1):
                self.minutes[i] = LATE_START_MINUTE
                self.boundary_late.append(i)
        self.roles = bytearray([AVERAGE]) * rows
        self.strong: list[int] = []
        self.dup_src: dict[int, int] = {}
        self.special_last: dict[int, str] = {}
        self._assign(rng)

    @staticmethod
    def _times(rng: random.Random, rows: int) -> array:
        def buckets(days: range, weights: tuple[float, ...]) -> tuple[list[int], list[float]]:
            starts: list[int] = []
            cum: list[float] = []
            acc = 0.0
            for d, day_w in zip(days, weights, strict=True):
                for h, hour_w in enumerate(HOUR_WEIGHTS):
                    if (d == 0 and h < FIRST_HOUR) or (d == 22 and h > LAST_HOUR_JUNE_30):
                        continue
                    w = day_w * hour_w * (2.0 if d == 18 and h >= 18 else 1.0)
                    acc += w
                    starts.append(d * 1440 + h * 60)
                    cum.append(acc)
            return starts, cum

        n_late = round(rows * LATE_SHARE)
        on_starts, on_cum = buckets(range(0, 19), DAY_WEIGHTS_ON_TIME)
        late_starts, late_cum = buckets(range(19, 23), DAY_WEIGHTS_LATE)
        on = rng.choices(on_starts, cum_weights=on_cum, k=rows - n_late)
        late = rng.choices(late_starts, cum_weights=late_cum, k=n_late)
        values = [start + rng.randrange(60) for start in on + late]
        values.sort()
        return array("l", values)

    def _assign(self, rng: random.Random) -> None:
        rows = self.rows
        order = list(range(rows))
        rng.shuffle(order)
        taken = bytearray(rows)
        for i in self.boundary_on_time + self.boundary_late:
            taken[i] = 1
            self.roles[i] = rng.choice((GOOD, AVERAGE, AVERAGE, WEAK))
        want_strong = round(rows * STRONG_PER_1200 / 1200)
        for i in order:
            if len(self.strong) == want_strong:
                break
            if not taken[i] and self.minutes[i] <= DEADLINE_MINUTE:
                taken[i] = 1
                self.roles[i] = STRONG
                self.strong.append(i)
        pos = 0
        for role, share in ROLE_SHARES:
            want = round(rows * share)
            while want and pos < rows:
                i = order[pos]
                pos += 1
                if not taken[i]:
                    taken[i] = 1
                    self.roles[i] = role
                    want -= 1
        self._duplicates(rng, order, taken)
        if rows >= 40:
            per_name = max(1, round(rows / 400))
            ok = (GOOD, AVERAGE, WEAK, SHORT)
            for i in order:
                if len(self.special_last) == per_name * len(SPECIAL_SURNAMES):
                    break
                if self.roles[i] in ok and i not in self.special_last:
                    self.special_last[i] = SPECIAL_SURNAMES[len(self.special_last) % 4]

    def _duplicates(self, rng: random.Random, order: list[int], taken: bytearray) -> None:
        """Re-submissions: row j repeats an earlier row's person, hours or days later."""
        minutes = self.minutes
        want = round(self.rows * DUP_SHARE)
        used_src: set[int] = set()

        def free_after(src: int, lo: int, hi: int) -> int | None:
            a = bisect_left(minutes, minutes[src] + lo)
            b = bisect_right(minutes, minutes[src] + hi)
            for _ in range(20 if b > a else 0):
                j = rng.randrange(a, b)
                if not taken[j]:
                    return j
            return None

        def add(j: int, src: int) -> None:
            taken[j] = taken[src] = 1  # a source never becomes a re-submission itself
            self.roles[j] = DUP
            self.dup_src[j] = src
            used_src.add(src)

        if want >= 3 and self.strong:  # one strong candidate applies twice
            for src in sorted(self.strong, key=lambda s: minutes[s]):
                j = free_after(src, 1440, 5 * 1440)
                if j is not None:
                    add(j, src)
                    want -= 1
                    break
        for j in order:
            if want <= 0:
                break
            if taken[j]:
                continue
            gap_hi = rng.choice((20 * 60, 3 * 1440, 6 * 1440, 6 * 1440))
            gap_lo = 60 if gap_hi == 20 * 60 else 1440
            a = bisect_left(minutes, minutes[j] - gap_hi)
            b = bisect_right(minutes, minutes[j] - gap_lo)
            for _ in range(12 if b > a else 0):
                src = rng.randrange(a, b)
                if self.roles[src] in DUP_SOURCE_ROLES and src not in used_src:
                    add(j, src)
                    want -= 1
                    if want == 1 and self.rows >= 200:  # one person applies three times
                        third = free_after(j, 1440, 4 * 1440)
                        if third is not None:
                            add(third, src)
                            want -= 1
                    break


# --------------------------------------------------------------------------- people


class Uniques:
    """Keeps e-mails and phones distinct between different people (skipped for huge runs)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.seen: set[bytes] = set()

    def claim(self, key: str) -> bool:
        if not self.enabled:
            return True
        d = digest(key)
        if d in self.seen:
            return False
        self.seen.add(d)
        return True


class Generator:
    def __init__(self, rows: int, seed: int) -> None:
        self.seed = seed
        self.plan = Plan(rows, seed)
        self.uniques = Uniques(rows <= UNIQUE_CHECK_MAX_ROWS)
        self.contact_cache: dict[int, tuple[str, str]] = {}
        self.dup_sources = set(self.plan.dup_src.values())
        self.loc_weights = Table(tuple(
            (loc, COUNTRY_WEIGHTS[loc[2]] / sum(1 for x in LOCATIONS if x[2] == loc[2]))
            for loc in LOCATIONS
        ))
        self.loc_spanish = Table(tuple(
            (loc, 1.0) for loc in LOCATIONS if loc[2] in SPANISH_COUNTRIES
        ) + tuple((loc, 0.6) for loc in LOCATIONS if loc[0] in ("Miami", "Houston", "Los Angeles")))
        self.loc_chinese = Table(tuple((loc, 1.0) for loc in LOCATIONS if loc[2] == "China") + tuple(
            (loc, 0.4) for loc in LOCATIONS if loc[0] in ("San Francisco", "Vancouver", "New York")
        ))
        self.name_mix = {country: Table(mix) for country, mix in NAME_MIX.items()}
        self.phones = {country: Table(templates) for country, templates in PHONES.items()}
        self.domains = {country: Table(d) for country, d in EMAIL_DOMAINS.items()}
        self.domains_default = Table(EMAIL_DOMAINS_DEFAULT)

    def rng_for(self, i: int) -> random.Random:
        return random.Random((self.seed << 40) + i)

    # -- one row -----------------------------------------------------------------------

    def row(self, i: int) -> dict:
        plan = self.plan
        rng = self.rng_for(i)
        role = plan.roles[i]
        if role == DUP:
            src = plan.dup_src[i]
            person = self.person(src, self.rng_for(src), plan.roles[src], regenerate=True)
            match = self.resubmit(person, rng)
        else:
            person = self.person(i, rng, role)
            match = ""
        created = ORIGIN + timedelta(minutes=plan.minutes[i])
        if role == INCOMPLETE:
            status, submitted = "Incomplete", None
            updated = created + timedelta(minutes=rng.randint(1, 90))
        else:
            status, submitted = "Submitted", created
            updated = created
            if rng.random() < 0.06:
                updated = created + timedelta(minutes=rng.randint(3, 3 * 1440))
        person.update(
            number=i + 1,
            number_as_text=rng.random() < 0.01,
            status=status,
            created=created,
            submitted=submitted,
            updated=updated,
            resume_id=f"{rng.getrandbits(128):032x}",
            resume_size=rng.randint(38_000, 950_000),
            match=match,
        )
        if person["resume"].endswith((".docx", ".doc")):
            person["resume_size"] //= 4
        return person

    def person(
        self, i: int, rng: random.Random, role: int, regenerate: bool = False
    ) -> dict:
        tier = role
        if role == INCOMPLETE:
            tier = rng.choice((AVERAGE, AVERAGE, GOOD, WEAK))
        elif role in (SPANISH, CHINESE, SPAM):
            tier = rng.choice((GOOD, AVERAGE, AVERAGE)) if role != SPAM else rng.choice(
                (AVERAGE, WEAK, WEAK))
        elif role in (SHORT, EMPTY, JUNK):
            tier = WEAK

        if role == SPANISH:
            loc = self.loc_spanish.pick(rng)
            culture = "hispanic"
        elif role == CHINESE:
            loc = self.loc_chinese.pick(rng)
            culture = "chinese"
        else:
            loc = self.loc_weights.pick(rng)
            culture = self.name_mix[loc[2]].pick(rng)
        city, state, country, areas = loc
        firsts, lasts = NAMES[culture]
        if rng.random() < 0.12 and culture not in ("chinese", "hispanic"):
            firsts = NAMES["anglo"][0]  # plenty of people go by an English first name
        first, last = rng.choice(firsts), rng.choice(lasts)
        if i in self.plan.special_last:
            first = rng.choice(NAMES["anglo"][0])
            last = self.plan.special_last[i]
        ascii_first, ascii_last = first, last
        if role == CHINESE and rng.random() < 0.4:
            first, last = HAN_GIVEN[first], HAN_FAMILY[last]

        edu, field = self.education(rng, tier, role)
        years = {
            STRONG: lambda: rng.randint(6, 15),
            GOOD: lambda: rng.randint(2, 5),
            AVERAGE: lambda: rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5)),
            WEAK: lambda: rng.choice((0, 0, 0, 1, 1, 2, 3, 6)),
        }[tier]()
        if role in (SPANISH, CHINESE):
            years = rng.randint(2, 9)
        years_str = years_text(rng, years, tidy=tier == STRONG)
        certs = self.certifications(rng, tier, role)
        tools = self.tools(rng, tier, role)
        managed = {
            STRONG: "Yes",
            GOOD: weighted(rng, (("Yes", 65), ("No", 30), ("", 5))),
            AVERAGE: weighted(rng, (("Yes", 40), ("No", 50), ("", 10))),
            WEAK: weighted(rng, (("Yes", 20), ("No", 65), ("", 15))),
        }[tier]
        start = "Yes" if rng.random() < (0.9 if tier == STRONG else 0.78) else "No"
        hours = weighted(
            rng,
            (("Full-time", 70), ("Either", 25), ("Part-time", 5))
            if tier == STRONG
            else (("Full-time", 50), ("Either", 30), ("Part-time", 20)),
        )
        title = rng.choice(
            TITLES_STRONG if tier == STRONG else TITLES_GOOD if tier == GOOD else TITLES_AVERAGE
        )
        main_cert = next((c for c in certs if c in CERT_PHRASE), "PMP")
        company = rng.choice(POOLS["company"])
        tool_names = [t for t in tools if t != "Other"] or ["Trello"]
        preset = {
            "first": first,
            "last": last,
            "city": city,
            "years": str(max(years, 2)) if rng.random() < 0.7 else NUMBER_WORDS[max(years, 2)],
            "years_zh": ZH_NUMBERS[years] if years < len(ZH_NUMBERS) else str(years),
            "num_months_zh": rng.choice(("三", "四", "六", "八", "九")),
            "title": title,
            "company": company,
            "company_desc": COMPANIES[company],
            "cert": CERT_PHRASE[main_cert],
            "tool": tool_names[0],
            "tool2": tool_names[1] if len(tool_names) > 1 else rng.choice(
                ("Confluence", "Google Sheets", "Notion")),
            "degree_phrase": self.degree_phrase(edu, field),
            "method": rng.choice(("Scrum", "Kanban", "Agile")),
            "linkedin_url": "",
            "slug": slug(ascii_first + ascii_last) or "portfolio",
            "hex12": f"{rng.getrandbits(48):012x}",
        }
        slots = Slots(rng, preset)
        linkedin = self.linkedin(rng, tier, role, ascii_first, ascii_last)
        preset_url = linkedin or f"https://www.linkedin.com/in/{slots['slug']}"
        slots["linkedin_url"] = preset_url

        letter, project = self.answers(rng, role, tier, slots, bool(certs) and "None" not in certs)
        english_letter = role in (STRONG, GOOD, AVERAGE, WEAK, INCOMPLETE)
        if english_letter and rng.random() < TYPO_RATE:
            letter = apply_typos(rng, letter)
        resume_rate = {STRONG: 1.0, GOOD: 0.95, AVERAGE: 0.88, WEAK: 0.72}[tier]
        if role in (SHORT, JUNK, EMPTY):
            resume_rate = 0.45
        if role == INCOMPLETE:
            resume_rate = 0.2
            letter, project, certs, tools = self.incomplete(rng, letter, project, certs, tools)
        resume = self.resume_name(rng, first, last, ascii_first, ascii_last) if (
            rng.random() < resume_rate) else ""

        # Contact details come last: they are the only values that depend on other rows.
        if regenerate:
            email, phone = self.contact_cache[i]
        else:
            email = self.email(rng, ascii_first, ascii_last, country)
            phone = self.phone(rng, country, areas, tier)
            if i in self.dup_sources:
                self.contact_cache[i] = (email, phone)
        return {
            "first": first, "last": last, "email": email, "phone": phone, "linkedin": linkedin,
            "city": city, "state": state, "country": country, "education": edu, "field": field,
            "years": years_str, "certs": certs, "tools": tools, "managed": managed,
            "start": start, "hours": hours, "letter": letter, "project": project,
            "resume": resume, "role": role, "tier": tier, "ascii_first": ascii_first,
            "ascii_last": ascii_last,
        }

    # -- fields ------------------------------------------------------------------------

    @staticmethod
    def education(rng: random.Random, tier: int, role: int) -> tuple[str, str]:
        if role == SPANISH:
            return weighted(rng, (("Bachelor's degree", 60), ("Master's degree", 30),
                                  ("Other", 10))), rng.choice(FIELD_ES)
        if role == CHINESE:
            return weighted(rng, (("Bachelor's degree", 60), ("Master's degree", 35),
                                  ("Associate degree", 5))), rng.choice(FIELD_ZH)
        if tier == STRONG:
            edu = weighted(rng, (("Master's degree", 55), ("Bachelor's degree", 40),
                                 ("Doctorate (PhD)", 5)))
            if edu == "Master's degree" and rng.random() < 0.45:
                return edu, rng.choice(FIELD_PM)
            return edu, rng.choice(FIELD_TECH[:14])
        if tier == GOOD:
            edu = weighted(rng, (("Bachelor's degree", 55), ("Master's degree", 30),
                                 ("Associate degree", 6), ("Other", 5), ("", 1)))
            pools = ((FIELD_TECH, 45), (FIELD_BUSINESS, 40), (FIELD_OTHER, 10), (FIELD_PM, 5))
        elif tier == AVERAGE:
            edu = weighted(rng, (("Bachelor's degree", 50), ("Associate degree", 12),
                                 ("Master's degree", 14), ("High school diploma", 10),
                                 ("Other", 8), ("", 2.5)))
            pools = ((FIELD_TECH, 28), (FIELD_BUSINESS, 34), (FIELD_OTHER, 34), (FIELD_JUNK, 4))
        else:
            edu = weighted(rng, (("High school diploma", 30), ("Associate degree", 15),
                                 ("Bachelor's degree", 35), ("Master's degree", 5),
                                 ("Other", 8), ("", 4)))
            pools = ((FIELD_OTHER, 55), (FIELD_BUSINESS, 20), (FIELD_TECH, 8), (FIELD_JUNK, 17))
        if edu in ("High school diploma", "") and rng.random() < 0.6:
            return edu, rng.choice(FIELD_JUNK)
        field = rng.choice(weighted(rng, pools))
        if edu in ("Master's degree", "Doctorate (PhD)") and field.startswith("B.S. "):
            field = "M.S. " + field[5:]
        return edu, field

    @staticmethod
    def degree_phrase(edu: str, field: str) -> str:
        kind = {
            "Master's degree": "master's degree",
            "Bachelor's degree": "bachelor's degree",
            "Doctorate (PhD)": "PhD",
            "Associate degree": "associate degree",
        }.get(edu, "degree")
        if field == "MBA":
            return "MBA"
        field = field.replace("MS in ", "").replace("B.S. ", "").replace("M.S. ", "")
        if field in ("", "CS", "Comp Sci", "computer science"):
            field = "Computer Science"
        return f"{kind} in {field}"

    @staticmethod
    def certifications(rng: random.Random, tier: int, role: int) -> list[str]:
        chosen: set[str] = set()
        if tier == STRONG and role not in (SPANISH, CHINESE, SPAM, INCOMPLETE):
            chosen.add("PMP" if rng.random() < 0.85 else "PRINCE2")
            for cert, p in (("PRINCE2", 0.3), ("Certified ScrumMaster (CSM)", 0.5),
                            ("PMI-ACP", 0.25)):
                if rng.random() < p:
                    chosen.add(cert)
        elif role in (SPANISH, CHINESE):
            if rng.random() < 0.2:
                chosen.add("PMP")
            if rng.random() < 0.2:
                chosen.add("Certified ScrumMaster (CSM)")
        elif tier == GOOD:
            if rng.random() < 0.55:
                chosen.add(rng.choice(("Certified ScrumMaster (CSM)", "CAPM",
                                       "Google Project Management Certificate")))
            elif rng.random() < 0.5:
                chosen.add("None")
        elif tier == AVERAGE:
            r = rng.random()
            if r < 0.22:
                chosen.add(rng.choice(("Google Project Management Certificate", "CAPM",
                                       "Certified ScrumMaster (CSM)")))
            elif r < 0.7:
                chosen.add("None")
        else:
            r = rng.random()
            if role == SPAM and r < 0.08:
                chosen.update(CERTIFICATIONS)  # ticks every box, "None" included
            elif r < 0.08:
                chosen.add("Google Project Management Certificate")
            elif r < 0.6:
                chosen.add("None")
        return [c for c in CERTIFICATIONS if c in chosen]

    @staticmethod
    def tools(rng: random.Random, tier: int, role: int) -> list[str]:
        if tier == STRONG:
            probs = (0.95, 0.5, 0.4, 0.15, 0.2, 0.15, 0.5, 0.3, 0.05)
            floor = 3
        elif tier == GOOD or role in (SPANISH, CHINESE):
            probs = (0.7, 0.45, 0.5, 0.1, 0.2, 0.15, 0.3, 0.2, 0.1)
            floor = 2
        elif tier == AVERAGE:
            probs = (0.3, 0.3, 0.45, 0.05, 0.15, 0.08, 0.12, 0.2, 0.2)
            floor = 0
        else:
            probs = (0.05, 0.05, 0.25, 0.02, 0.05, 0.03, 0.05, 0.08, 0.2)
            floor = 0
            if role == SPAM and rng.random() < 0.1:
                return list(TOOLS)
        chosen = {t for t, p in zip(TOOLS, probs, strict=True) if rng.random() < p}
        while len(chosen) < floor:
            chosen.add(TOOLS[rng.choice((0, 0, 1, 2, 6, 7))])
        return [t for t in TOOLS if t in chosen]

    @staticmethod
    def linkedin(rng: random.Random, tier: int, role: int, first: str, last: str) -> str:
        rate = {STRONG: 0.95, GOOD: 0.8, AVERAGE: 0.6, WEAK: 0.35}[tier]
        if role in (SHORT, JUNK, EMPTY, SPAM):
            rate = 0.2
        if rng.random() >= rate:
            return ""
        f, la = slug(first), slug(last)
        handle = weighted(rng, (
            (f"{f}-{la}", 30), (f"{f}-{la}-{rng.getrandbits(24):06x}", 30), (f"{f}{la}", 20),
            (f"{f[:1]}{la}", 10), (f"{f}-{la}-{rng.randint(1, 99)}", 10),
        ))
        return weighted(rng, (
            (f"https://www.linkedin.com/in/{handle}", 55),
            (f"https://www.linkedin.com/in/{handle}/", 15),
            (f"linkedin.com/in/{handle}", 12),
            (f"www.linkedin.com/in/{handle}", 10),
            (f"https://linkedin.com/in/{handle}", 5),
            (rng.choice(("N/A", "none", "linkedin.com", "I don't have one")), 3),
        ))

    def email(self, rng: random.Random, first: str, last: str, country: str) -> str:
        f, la = slug(first) or "user", slug(last) or "mail"
        domains = self.domains.get(country, self.domains_default)
        for attempt in range(30):
            n = rng.randint(1, 99) if attempt < 5 else rng.randint(100, 99999)
            local = weighted(rng, (
                (f"{f}.{la}", 25), (f"{f}{la}", 15), (f"{f[0]}{la}", 12), (f"{f}_{la}", 6),
                (f"{f}.{la}{n}", 12), (f"{f}{la}{n}", 10), (f"{la}.{f}", 5), (f"{f}{n}", 5),
                (f"{f[0]}.{la}{rng.choice(('80', '85', '88', '90', '92', '95', '99'))}", 5),
                (f"{f}.{la}.pm", 2), (f"{f}{la[0]}{n}", 3),
            ))
            if attempt >= 3:
                local = f"{local}{n}"
            email = f"{local}@{domains.pick(rng)}"
            if rng.random() < 0.05:
                email = email[0].upper() + email[1:]  # autocapitalised on a phone
            if self.uniques.claim("e:" + email.strip().lower()):
                return email
        return email

    def phone(self, rng: random.Random, country: str, areas: str, tier: int) -> str:
        if rng.random() < (0.02 if tier == STRONG else 0.05):
            return ""
        key = "NANP" if country in ("United States", "Canada") else country
        template = str(self.phones[key].pick(rng))
        for _ in range(20):
            area = rng.choice(areas.split("|")) if areas else ""
            phone = fill_digits(rng, template.replace("{A}", area))
            if self.uniques.claim("p:" + phone_digits(phone)):
                return phone
        return phone

    @staticmethod
    def resume_name(rng: random.Random, first: str, last: str, af: str, al: str) -> str:
        fu, lu = first.replace(" ", "_"), last.replace(" ", "_")
        if rng.random() < 0.4:
            fu, lu = af.replace(" ", "_"), al.replace(" ", "_")
        ext = weighted(rng, ((".pdf", 82), (".docx", 14), (".doc", 4)))
        stem = weighted(rng, (
            (f"{fu}_{lu}_CV", 14), (f"{fu}_{lu}_Resume", 16), (f"{first} {last} Resume", 12),
            (f"Resume - {first} {last}", 8), (f"{fu}{lu}_Resume_2020", 6), (f"CV_{fu}_{lu}", 6),
            (f"{af[:1]}{lu}_resume", 6), ("resume", 5), ("Resume", 5), ("CV", 3),
            (f"{fu}_{lu}_CV_final(1)", 4), (f"{last}, {first} - Resume", 4), ("My Resume", 2),
            (f"{fu}-{lu}-resume", 6), (f"{lu.upper()}_{fu}_CV_2020", 3),
        ))
        return f"{stem}{ext}"

    # -- free text ---------------------------------------------------------------------

    def answers(
        self, rng: random.Random, role: int, tier: int, slots: Slots, has_cert: bool
    ) -> tuple[str, str]:
        if role == SPAM:
            return SPAM_TEXT, rng.choice(SPAM_PROJECTS)
        if role == EMPTY:
            return "", rng.choice(("", "", "", "N/A"))
        if role == SHORT:
            k = rng.choice((1, 1, 1, 2))
            return " ".join(rng.sample(SHORT_ANSWERS, k)), (
                rng.choice(PROJ_SHORT) if rng.random() < 0.7 else "")
        if role == JUNK:
            text = rng.choice(JUNK_ANSWERS).format_map(slots)
            return text, rng.choice(("", "asdf", ".", "n/a", text))
        if role == SPANISH:
            return self.letter_es(rng, slots, has_cert), self.project_lang(
                rng, slots, ES_PROJECT, " ")
        if role == CHINESE:
            return self.letter_zh(rng, slots, has_cert), self.project_lang(
                rng, slots, ZH_PROJECT, "")
        if tier == STRONG:
            return self.letter_strong(rng, slots), self.project_strong(rng, slots)
        if tier == GOOD:
            return self.letter_good(rng, slots), self.project_mid(rng, slots, 60, 160)
        if tier == AVERAGE:
            return self.letter_average(rng, slots), self.project_mid(rng, slots, 40, 110)
        return self.letter_weak(rng, slots), self.project_weak(rng, slots)

    @staticmethod
    def frame(rng: random.Random, body: list[list[str]], p_greet: float, p_sign: float,
              greetings: tuple[str, ...] = GREETINGS, signoffs: tuple[str, ...] = SIGNOFFS,
              ) -> tuple[list[list[str]], int, int]:
        first = [[rng.choice(greetings)]] if rng.random() < p_greet else []
        last = [[rng.choice(signoffs)]] if rng.random() < p_sign else []
        return first + body + last, len(first), len(last)

    def letter_strong(self, rng: random.Random, slots: Slots) -> str:
        themes = list(STRONG_THEMES)
        rng.shuffle(themes)
        picks = {id(t): rng.sample(t, rng.choice((1, 1, 2))) for t in themes[:10]}

        def take(*banks: tuple[str, ...]) -> list[str]:
            out: list[str] = []
            for bank in banks:
                out += picks.get(id(bank), [])
            return out

        intro = [rng.choice(STRONG_OPEN)] + rng.sample(STRONG_SUMMARY, rng.choice((1, 2)))
        if rng.random() < 0.6:
            intro.append(rng.choice(STRONG_CERT))
        if rng.random() < 0.6:
            intro.append(rng.choice(EXPERIENCE_DETAIL))
        delivery = take(STRONG_PLAN, STRONG_SCOPE, STRONG_MILESTONE, STRONG_RISK)
        if rng.random() < 0.6:
            delivery.insert(rng.randint(0, len(delivery)), rng.choice(ACHIEVEMENTS))
        process = take(STRONG_AGILE, STRONG_TOOLS, STRONG_PROCESS)
        people = take(STRONG_LEAD, STRONG_MENTOR, STRONG_COMM)
        closing = rng.sample(STRONG_AI, rng.choice((1, 2))) + take(STRONG_TRAITS)
        if rng.random() < 0.4:
            closing.insert(0, rng.choice(MOTIVATION))
        if rng.random() < 0.3:
            closing.append(rng.choice(PERSONAL))
        closing.append(rng.choice(STRONG_CLOSE))
        body = [p for p in (intro, delivery, process, people, closing) if p]
        if rng.random() < 0.15 and len(process) >= 2:
            body[2] = bullets(rng, process)
        paras, nf, nl = self.frame(rng, body, 0.55, 0.5)
        return assemble(rng, slots, paras, nf, nl, 220, rng.randint(260, 400),
                        STRONG_TRAITS + STRONG_AI)

    def letter_good(self, rng: random.Random, slots: Slots) -> str:
        themes = rng.sample(STRONG_THEMES, rng.randint(2, 4))
        relevant = [rng.choice(t) for t in themes]
        intro = [rng.choice(MID_OPEN), rng.choice(STRONG_SUMMARY[:3] + MID_EXP[:2])]
        middle = relevant + rng.sample(MID_EXP, rng.randint(2, 3))
        if rng.random() < 0.5:
            middle.append(rng.choice(EXPERIENCE_DETAIL))
        if rng.random() < 0.35:
            middle.append(rng.choice(PERSONAL))
        if rng.random() < 0.5:
            middle.append(rng.choice(MOTIVATION))
        if rng.random() < 0.5:
            middle.append(rng.choice(ACHIEVEMENTS))
        if rng.random() < 0.4:
            middle.insert(0, rng.choice(CAREER))
        rng.shuffle(middle)
        split = len(middle) // 2
        tail = rng.sample(FILLER, rng.randint(0, 2)) + [rng.choice(MID_CLOSE)]
        body = [intro, middle[:split], middle[split:], tail]
        if rng.random() < 0.1:
            body[1] = bullets(rng, middle[:split] or middle)
        paras, nf, nl = self.frame(rng, body, 0.5, 0.45)
        return assemble(rng, slots, paras, nf, nl, rng.randint(130, 230), 300, MID_EXP + FILLER)

    def letter_average(self, rng: random.Random, slots: Slots) -> str:
        middle = rng.sample(MID_EXP, rng.randint(3, 5))
        if rng.random() < 0.3:
            middle.append(rng.choice(rng.choice(STRONG_THEMES)))
        if rng.random() < 0.25:
            middle.append(rng.choice(EXPERIENCE_DETAIL))
        if rng.random() < 0.4:
            middle.append(rng.choice(PERSONAL))
        if rng.random() < 0.4:
            middle.append(rng.choice(MOTIVATION))
        if rng.random() < 0.4:
            middle.append(rng.choice(CAREER))
        if rng.random() < 0.25:
            middle.append(rng.choice(ACHIEVEMENTS))
        middle += rng.sample(FILLER, rng.randint(2, 4))
        rng.shuffle(middle)
        body = [[rng.choice(MID_OPEN)], middle, [rng.choice(MID_CLOSE)]]
        if rng.random() < 0.35:
            body = [[rng.choice(MID_OPEN)] + middle + [rng.choice(MID_CLOSE)]]
        paras, nf, nl = self.frame(rng, body, 0.45, 0.35)
        return assemble(rng, slots, paras, nf, nl, rng.randint(100, 180), 250, FILLER + MID_EXP)

    def letter_weak(self, rng: random.Random, slots: Slots) -> str:
        middle = rng.sample(OFFTOPIC, rng.randint(1, 3)) + rng.sample(FILLER, rng.randint(4, 7))
        if rng.random() < 0.4:
            middle.append(rng.choice(PERSONAL))
        rng.shuffle(middle)
        body = [[rng.choice(WEAK_OPEN)] + middle + [rng.choice(WEAK_CLOSE)]]
        if rng.random() < 0.4:
            body = [[rng.choice(WEAK_OPEN)], middle, [rng.choice(WEAK_CLOSE)]]
        paras, nf, nl = self.frame(rng, body, 0.35, 0.3)
        text = assemble(rng, slots, paras, nf, nl, rng.randint(100, 130), 170, FILLER)
        if rng.random() < 0.15:
            text = text.lower()
        return text

    def letter_es(self, rng: random.Random, slots: Slots, has_cert: bool) -> str:
        body_sentences = rng.sample(ES_BODY, rng.randint(6, 10))
        body_sentences.insert(rng.randrange(len(body_sentences)),
                              ES_CERT if has_cert else ES_NO_CERT)
        split = len(body_sentences) // 2
        body = [[rng.choice(ES_OPEN)], body_sentences[:split], body_sentences[split:],
                [rng.choice(ES_CLOSE)]]
        paras, nf, nl = self.frame(rng, body, 0.8, 0.7, ES_GREETINGS, ES_SIGNOFFS)
        return assemble(rng, slots, paras, nf, nl, 110, 300, ES_BODY)

    def letter_zh(self, rng: random.Random, slots: Slots, has_cert: bool) -> str:
        sentences = rng.sample(ZH_BODY, rng.randint(6, 10))
        if has_cert:
            sentences.insert(rng.randrange(len(sentences)), ZH_CERT)
        split = len(sentences) // 2
        paras = [[rng.choice(ZH_OPEN)], sentences[:split], sentences[split:],
                 [rng.choice(ZH_CLOSE)]]
        if rng.random() < 0.5:
            han = not slots["first"].isascii()
            paras.append([slots["last"] + slots["first"] if han else slots["first"]])
        return "\n\n".join("".join(s.format_map(slots) for s in p) for p in paras)

    @staticmethod
    def project_lang(rng: random.Random, slots: Slots, bank: tuple[str, ...], sep: str) -> str:
        """The bank holds two stories of five sentences; tell one, skipping a detail or two."""
        story = rng.choice((bank[:5], bank[5:]))
        chosen = [story[0]] + [s for s in story[1:] if rng.random() < 0.8]
        return sep.join(s.format_map(slots) for s in chosen)

    def project_strong(self, rng: random.Random, slots: Slots) -> str:
        ml = rng.random() < 0.5
        slots["project"] = rng.choice(POOLS["project_ml"] if ml else POOLS["project"])
        plan = PROJ_PLAN + (PROJ_PLAN_ML,) if ml else PROJ_PLAN
        risks = PROJ_RISK + PROJ_RISK_ML if ml else PROJ_RISK
        steps = [
            [rng.choice(PROJ_CONTEXT)],
            rng.sample(PROJ_IDEA, rng.choice((1, 2))),
            rng.sample(plan, rng.choice((1, 2))),
            rng.sample(PROJ_TEAM, 1),
            rng.sample(risks, rng.choice((1, 2))),
            [rng.choice(PROJ_LAUNCH)],
        ]
        if rng.random() < 0.7:
            steps.append([rng.choice(PROJ_LESSON)])
        if rng.random() < 0.5:  # one paragraph per phase
            return assemble(rng, slots, [[" ".join(s)] for s in steps], 1, 1, 120, 250,
                            PROJ_LESSON)
        merged = [steps[0] + steps[1], steps[2] + steps[3] + steps[4], sum(steps[5:], [])]
        return assemble(rng, slots, merged, 0, 0, 120, 250, PROJ_LESSON + PROJ_TEAM)

    @staticmethod
    def project_mid(rng: random.Random, slots: Slots, lo: int, hi: int) -> str:
        sentences = in_order(PROJ_MID, rng.sample(PROJ_MID, rng.randint(3, 6)))
        if lo >= 60 and rng.random() < 0.5:
            sentences.insert(0, rng.choice(PROJ_CONTEXT))
            sentences.append(rng.choice(PROJ_LAUNCH))
        paras = [sentences] if rng.random() < 0.6 else [sentences[:2], sentences[2:]]
        return assemble(rng, slots, [p for p in paras if p], 0, 0, lo, hi, PROJ_MID)

    @staticmethod
    def project_weak(rng: random.Random, slots: Slots) -> str:
        if rng.random() < 0.3:
            return rng.choice(PROJ_SHORT) if rng.random() < 0.7 else ""
        story = in_order(PROJ_WEAK, rng.sample(PROJ_WEAK, rng.randint(3, 5)))
        return assemble(rng, slots, [story], 0, 0, 40, 90, PROJ_WEAK)

    @staticmethod
    def incomplete(
        rng: random.Random, letter: str, project: str, certs: list[str], tools: list[str]
    ) -> tuple[str, str, list[str], list[str]]:
        """Save & Resume entries that were never submitted: half-filled."""
        r = rng.random()
        if r < 0.5:
            letter = ""
        elif r < 0.8:
            letter = letter.split("\n\n")[0]
        if rng.random() < 0.7:
            project = ""
        if rng.random() < 0.4:
            certs, tools = [], []
        return letter, project, certs, tools

    # -- re-submissions ----------------------------------------------------------------

    def resubmit(self, p: dict, rng: random.Random) -> str:
        """Turn a regenerated person into their second application; return how it matches."""
        match = weighted(rng, (("email_case", 40), ("email_space", 25), ("name_phone", 35)))
        if match == "name_phone" and not p["phone"]:
            match = "email_case"
        email = p["email"]
        if match == "email_case":
            local, _, domain = email.partition("@")
            variants = [
                local[:1].upper() + local[1:] + "@" + domain[:1].upper() + domain[1:],
                local.upper() + "@" + domain,
                ".".join(part.capitalize() for part in local.split(".")) + "@" + domain,
                email.upper(),
            ]
            changed = [v for v in variants if v != email]
            p["email"] = rng.choice(changed) if changed else email.lower()
            if rng.random() < 0.3:
                p["email"] += " "
        elif match == "email_space":
            p["email"] = email + rng.choice((" ", " ", "  ", "\t")) if rng.random() < 0.85 else (
                " " + email)
        else:
            first, last = slug(p["ascii_first"]) or "me", slug(p["ascii_last"]) or "pm"
            for _ in range(20):
                domain = rng.choice(("gmail.com", "outlook.com", "yahoo.com", "protonmail.com",
                                     "icloud.com"))
                alt = f"{first}.{last}.{rng.randint(1, 9999)}@{domain}"
                if self.uniques.claim("e:" + alt):
                    break
            p["email"] = alt
        if rng.random() < 0.15:
            p["first"], p["last"] = p["first"].lower(), p["last"].lower()
        elif rng.random() < 0.1:
            p["first"] += " "

        letter = p["letter"]
        if p["role"] not in (SPAM, SHORT, EMPTY, JUNK, CHINESE) and letter:
            ops = rng.sample(("ps", "greet", "swap", "fix", "drop"), rng.choice((1, 2, 2, 3)))
            for op in ops:
                paras = letter.split("\n\n")
                if op == "ps":
                    letter += "\n\n" + rng.choice(DUP_PS)
                elif op == "greet" and len(paras) > 1 and not paras[0].endswith(","):
                    letter = rng.choice(GREETINGS) + "\n\n" + letter
                elif op == "swap":
                    for old, new in DUP_WORD_SWAPS:
                        if old in letter:
                            letter = letter.replace(old, new, 1)
                            break
                elif op == "fix":
                    for good, bad in TYPOS:
                        letter = letter.replace(bad, good)
                elif op == "drop" and len(paras) >= 4:
                    paras.pop(rng.randrange(1, len(paras) - 1))
                    letter = "\n\n".join(paras)
        p["letter"] = letter
        if p["resume"] and rng.random() < 0.5:
            stem, dot, ext = p["resume"].rpartition(".")
            p["resume"] = f"{stem}{rng.choice(('_v2', ' (1)', '_updated', '2'))}{dot}{ext}"
        elif not p["resume"] and rng.random() < 0.6:
            p["resume"] = self.resume_name(
                rng, p["first"], p["last"], p["ascii_first"], p["ascii_last"])
        if rng.random() < 0.3:
            extra = rng.choice(TOOLS[:8])
            p["tools"] = [t for t in TOOLS if t in set(p["tools"]) | {extra}]
        return match


# --------------------------------------------------------------------------- output


def csv_values(p: dict) -> list[str]:
    return [
        str(p["number"]), p["first"], p["last"], p["email"], p["phone"], p["linkedin"],
        p["city"], p["state"], p["country"], p["education"], p["field"], p["years"],
        ", ".join(p["certs"]), ", ".join(p["tools"]), p["managed"], p["start"], p["hours"],
        p["letter"], p["project"], p["resume"], p["status"], fmt_cognito(p["created"]),
        fmt_cognito(p["submitted"]) if p["submitted"] else "", fmt_cognito(p["updated"]),
    ]


def content_type(name: str) -> str:
    if name.endswith(".docx"):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if name.endswith(".doc"):
        return "application/msword"
    return "application/pdf"


def json_entry(p: dict) -> dict:
    number = p["number"]
    resume = []
    if p["resume"]:
        resume.append({
            "ContentType": content_type(p["resume"]),
            "Id": p["resume_id"],
            "Name": p["resume"],
            "Size": p["resume_size"],
            "File": f"https://www.cognitoforms.com/file/{p['resume_id']}",
        })
    return {
        "Id": str(number),
        "Name": {
            "First": p["first"],
            "Last": p["last"],
            "FirstAndLast": f"{p['first']} {p['last']}".strip(),
        },
        "Email": p["email"],
        "Phone": p["phone"],
        "LinkedInProfile": p["linkedin"],
        "Location": {"City": p["city"], "State": p["state"], "Country": p["country"]},
        "HighestLevelOfEducation": p["education"],
        "FieldOfStudy": p["field"],
        "YearsOfProjectManagementExperience": p["years"],
        "ProjectManagementCertifications": p["certs"],
        "ProjectManagementToolsYouHaveUsed": p["tools"],
        "HaveYouManagedOrMentoredATeam": {"Yes": True, "No": False}.get(p["managed"]),
        "CanYouStartByEarlyJuly": p["start"] == "Yes",
        "FullTimeOrPartTime": p["hours"],
        "WhyAreYouAGreatFitForThisRole": p["letter"],
        "TellUsAboutAProjectYouLedFromIdeaToLaunch": p["project"],
        "Resume": resume,
        "Entry": {
            "Number": str(number) if p["number_as_text"] else number,
            "DateCreated": fmt_iso_utc(p["created"]),
            "DateSubmitted": fmt_iso_utc(p["submitted"]),
            "DateUpdated": fmt_iso_utc(p["updated"]),
            "Status": p["status"],
        },
    }


class CsvSink:
    def __init__(self, path: Path) -> None:
        self.file = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.file, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        self.writer.writerow(HEADERS)

    def write(self, p: dict) -> None:
        self.writer.writerow(csv_values(p))

    def close(self) -> None:
        self.file.close()


class JsonSink:
    """A JSON array written one entry at a time; same bytes as json.dump(list, indent=2)."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("w", encoding="utf-8", newline="\n")
        self.count = 0

    def write(self, p: dict) -> None:
        text = json.dumps(json_entry(p), indent=2, ensure_ascii=False)
        self.file.write(("[\n" if self.count == 0 else ",\n") + "  " + text.replace("\n", "\n  "))
        self.count += 1

    def close(self) -> None:
        self.file.write("\n]\n" if self.count else "[]\n")
        self.file.close()


class JsonlSink:
    def __init__(self, path: Path) -> None:
        self.file = path.open("w", encoding="utf-8", newline="\n")

    def write(self, p: dict) -> None:
        self.file.write(json.dumps(json_entry(p), ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.file.close()


class XlsxSink:
    def __init__(self, path: Path, rows: int) -> None:
        import xlsxwriter  # only needed for .xlsx

        big = rows > 100_000
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                # in_memory zips with a fixed 1980 timestamp; constant_memory streams big sheets
                "in_memory": not big,
                "constant_memory": big,
            },
        )
        self.book.set_properties({"created": XLSX_CREATED})
        self.sheet = self.book.add_worksheet(FORM_NAME)
        self.date_format = self.book.add_format({"num_format": XLSX_DATE_FORMAT})
        bold = self.book.add_format({"bold": True})
        for col, header in enumerate(HEADERS):
            self.sheet.write_string(0, col, header, bold)
        self.sheet.freeze_panes(1, 0)
        self.row = 0

    def write(self, p: dict) -> None:
        self.row += 1
        dates = (p["created"], p["submitted"], p["updated"])
        for col, value in enumerate(csv_values(p)):
            if col in DATE_COLUMNS:
                dt = dates[col - DATE_COLUMNS[0]]
                if dt is not None:
                    self.sheet.write_datetime(self.row, col, dt, self.date_format)
            elif value:
                self.sheet.write_string(self.row, col, value)

    def close(self) -> None:
        self.book.close()


class AnswerKey:
    def __init__(self, gen: Generator) -> None:
        self.gen = gen
        self.lists: dict[str, list[int]] = {
            k: [] for k in ("late", "incomplete", "spam", "typos", "spanish", "chinese",
                            "empty_cover_letter", "junk_cover_letter", "short_cover_letter")
        }
        self.match: dict[str, str] = {}

    def add(self, p: dict) -> None:
        n = p["number"]
        if p["status"] == "Incomplete":
            self.lists["incomplete"].append(n)
        elif p["submitted"] > ORIGIN + timedelta(minutes=DEADLINE_MINUTE):
            self.lists["late"].append(n)
        if p["letter"] == SPAM_TEXT:
            self.lists["spam"].append(n)
        if has_typo(p["letter"]):
            self.lists["typos"].append(n)
        if p["match"]:
            self.match[str(n)] = p["match"]
        for role, key in ((SPANISH, "spanish"), (CHINESE, "chinese"), (EMPTY, "empty_cover_letter"),
                          (JUNK, "junk_cover_letter"), (SHORT, "short_cover_letter")):
            if p["role"] == role:
                self.lists[key].append(n)

    def to_dict(self) -> dict:
        plan = self.gen.plan
        groups: dict[int, list[int]] = {}
        for j, src in sorted(plan.dup_src.items()):
            groups.setdefault(src, [src + 1]).append(j + 1)
        strong = sorted(i + 1 for i in plan.strong)
        strong_set = set(plan.strong)
        key = {
            "about": (
                "Planted traits of the generated sample, by entry number (the *_Id column, "
                "Entry.Number in JSON). Strong candidates are the originals; a strong person's "
                "re-submission is listed in duplicate_groups and strong_resubmissions."
            ),
            "seed": plan.seed,
            "rows": plan.rows,
            "deadline": "2020-06-26T23:59 America/New_York (2020-06-27T03:59Z)",
            "strong": strong,
            "strong_resubmissions": sorted(
                j + 1 for j, s in plan.dup_src.items() if s in strong_set
            ),
            "duplicate_groups": sorted(groups.values()),
            "duplicate_match": dict(sorted(self.match.items(), key=lambda kv: int(kv[0]))),
            "deadline_boundary": {
                "on_time_at_11_59_PM": [i + 1 for i in plan.boundary_on_time],
                "late_at_12_00_AM": [i + 1 for i in plan.boundary_late],
            },
            **self.lists,
            "special_surnames": {
                name: sorted(i + 1 for i, s in plan.special_last.items() if s == name)
                for name in SPECIAL_SURNAMES
            },
        }
        key["counts"] = {
            k: len(v) for k, v in key.items() if isinstance(v, list)
        } | {"duplicate_entries": len(plan.dup_src)}
        return key


def write_all(args: argparse.Namespace) -> dict:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(args.rows, args.seed)
    sinks: list = []
    paths: list[Path] = []
    for fmt in args.formats:
        path = out / f"{args.basename}.{fmt}"
        paths.append(path)
        if fmt == "csv":
            sinks.append(CsvSink(path))
        elif fmt == "json":
            sinks.append(JsonSink(path))
        elif fmt == "jsonl":
            sinks.append(JsonlSink(path))
        else:
            sinks.append(XlsxSink(path, args.rows))
    key = AnswerKey(gen)
    try:
        for i in range(args.rows):
            p = gen.row(i)
            for sink in sinks:
                sink.write(p)
            key.add(p)
    finally:
        for sink in sinks:
            sink.close()
    answer = key.to_dict()
    if args.answer_key:
        name = "answer_key.json" if args.basename == "applicants" else (
            f"{args.basename}_answer_key.json")
        path = out / name
        path.write_text(json.dumps(answer, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return {"paths": paths, "counts": answer["counts"]}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Generate seeded sample applications shaped like a Cognito Forms export."
    )
    parser.add_argument("--rows", type=int, default=1200, help="number of entries (1200)")
    parser.add_argument("--seed", type=int, default=2020, help="random seed (2020)")
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parent), help="output folder"
    )
    parser.add_argument("--basename", default="applicants", help="file name stem")
    parser.add_argument(
        "--formats", default="csv,json,xlsx", help="comma-separated: csv,json,jsonl,xlsx"
    )
    parser.add_argument(
        "--answer-key", action=argparse.BooleanOptionalAction, default=True,
        help="also write answer_key.json (default: yes)",
    )
    args = parser.parse_args(argv)
    formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    unknown = sorted(set(formats) - {"csv", "json", "jsonl", "xlsx"})
    if unknown or not formats:
        parser.error(f"--formats: unknown format(s) {', '.join(unknown) or '(none)'}")
    if args.rows < 0:
        parser.error("--rows must be 0 or more")
    if "xlsx" in formats and args.rows > XLSX_MAX_ROWS:
        parser.error(f"--rows: an .xlsx sheet holds at most {XLSX_MAX_ROWS:,} rows")
    args.formats = list(dict.fromkeys(formats))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    result = write_all(args)
    elapsed = time.perf_counter() - started
    for path in result["paths"]:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)", file=sys.stderr)
    counts = ", ".join(f"{k} {v}" for k, v in result["counts"].items())
    print(f"{args.rows:,} rows, seed {args.seed}, {elapsed:.1f}s; {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
