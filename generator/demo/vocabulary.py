"""Words of the clinical research world that demo people are made of."""
from __future__ import annotations

DEPARTMENTS = (
    "Medicine - Cardiology", "Medicine - Endocrinology", "Medicine - Infectious Diseases",
    "Medicine - Pulmonary", "Pediatrics - Hematology/Oncology", "Pediatrics - Neonatology",
    "Neurology", "Psychiatry", "Surgery", "Emergency Medicine", "Radiation Oncology",
    "Obstetrics and Gynecology", "Orthopaedics", "Anesthesiology", "Dermatology",
    "Cancer Center", "Clinical Trials Office", "Nursing Research", "Clinical and Health Psychology",
    "Community Health and Family Medicine",
)

#: role family -> (job titles, weight, typical years of research experience)
ROLES = {
    "Clinical Research Coordinator": (("Clinical Research Coordinator I", "Clinical Research Coordinator II", "Senior Clinical Research Coordinator"), 40, (0, 12)),
    "Research Nurse": (("Research Nurse", "Clinical Research Nurse II", "Research Nurse Coordinator"), 20, (1, 20)),
    "Clinical Research Associate": (("Clinical Research Associate", "Research Assistant"), 10, (0, 8)),
    "Data Manager": (("Clinical Data Manager", "Research Data Specialist"), 8, (1, 15)),
    "Regulatory Specialist": (("Regulatory Specialist", "Regulatory Affairs Coordinator"), 8, (1, 15)),
    "Manager or Supervisor": (("Clinical Research Manager", "Research Program Supervisor"), 10, (6, 25)),
    "Director": (("Director of Clinical Research Operations",), 4, (10, 30)),
}

FIELDS_OF_STUDY = ("Nursing", "Biology", "Public Health", "Psychology", "Health Science",
                   "Biomedical Engineering", "Chemistry", "Health Administration", "Sociology", "Exercise Science")

DEGREES_BY_ROLE = {
    "Research Nurse": ("Nursing diploma or RN", "Bachelor's degree"),
    "Director": ("Master's degree",),
    "Manager or Supervisor": ("Master's degree",),
}

TOPICS = ("Regulatory and IRB", "Recruitment and retention", "Budgets and billing", "Data management",
          "Study start-up", "Monitoring and quality", "Leadership and supervision",
          "Certification preparation", "Career development")

RESPONSIBILITIES = ("Recruitment and consent", "Data collection and entry", "Regulatory submissions",
                    "Study coordination", "Budgets and billing", "Monitoring and quality", "Supervising staff")

INTEREST_SENTENCES = (
    "I want to prepare for the CCRC exam and hear how others studied for it.",
    "I would like to see how other departments run their studies and handle regulatory binders.",
    "I am new to coordinating interventional trials and want guidance from experienced colleagues.",
    "After years as a coordinator I want to give back and help new staff find their footing.",
    "I hope to build a network outside my division so I know who to ask when problems come up.",
    "I am interested in moving into a regulatory role and want to learn what it involves.",
    "Our team has had a lot of turnover and I want to bring good practices back to my unit.",
    "I want to improve how I document consent and avoid protocol deviations.",
    "I am considering a management track and would like to learn from people who made that move.",
    "I want structured time to keep learning, which is hard to find in a busy clinic.",
)

GOAL_SENTENCES = (
    "Pass a certification exam this year.", "Understand budgets and billing compliance.",
    "Lead a study start-up on my own.", "Build relationships with coordinators on the other campus.",
    "Learn risk-based monitoring.", "Mentor a new coordinator with confidence.",
    "Improve my recruitment numbers.", "Become the regulatory go-to person on my team.",
)

COMMENT_SENTENCES = (
    "Our meetings were really useful for sharing tips on regulatory documents.",
    "Scheduling was hard this quarter because of clinic hours.",
    "I learned a lot about how another department handles consent.",
    "The practice questions helped me get ready for the exam.",
    "It would help to involve PIs in one of the sessions.",
    "A shorter program would be easier to fit around study visits.",
    "I appreciated hearing others' experience of the certification exam.",
    "More materials for certification preparation would be welcome.",
    "Better documentation of what to cover each meeting would help.",
    "Having early-career coordinators paired together would also be valuable.",
)

#: The focus-group codebook: a-priori code -> emergent second-level codes and excerpts.
FOCUS_GROUP = {
    "Situation": (("Career stage", "I was new to the role and did not know who to ask about anything."),
                  ("Work environment", "In my department there is no time set aside for learning, so this gave me that time.")),
    "Knowledge": (("Certification preparation", "The modules lined up with what the exam covers, which made studying less overwhelming."),
                  ("Regulatory knowledge", "I finally understood why the monitors ask for the things they ask for.")),
    "Learning": (("Learning from peers", "Hearing how another unit handles deviations changed how we document ours."),
                 ("Self-paced modules", "The knowledge checks told me what I still did not understand before our meeting.")),
    "Relationships": (("Cross-department network", "Now when I have a question about billing I know exactly who to email."),
                      ("Co-mentoring", "Even the experienced people said they learned something from us newer coordinators.")),
}
