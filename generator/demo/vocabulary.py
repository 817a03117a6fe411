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

#: Fields of study that go with each role family (a nurse studied nursing).
FIELDS_BY_ROLE = {
    "Research Nurse": ("Nursing", "Nursing", "Nursing", "Health Science"),
    "Clinical Research Coordinator": ("Biology", "Public Health", "Psychology", "Health Science", "Exercise Science", "Sociology"),
    "Clinical Research Associate": ("Biology", "Public Health", "Psychology", "Health Science"),
    "Data Manager": ("Health Informatics", "Statistics", "Biology", "Public Health"),
    "Regulatory Specialist": ("Public Health", "Biology", "Health Administration", "Chemistry"),
    "Manager or Supervisor": ("Health Administration", "Public Health", "Nursing", "Biology"),
    "Director": ("Health Administration", "Public Health", "Nursing"),
}

#: Free-text answers per program model, form and question: each answers its own question.
COMMENTS = {
    ("circles", "midpoint", "most_valuable"): (
        "Hearing how another department handles consent for vulnerable participants.",
        "Our facilitator walks us through real deviations and what the team did next.",
        "The ethics module gave our circle a lot to talk about.",
        "Having colleagues on the other campus I can ask about regulatory binders.",
        "Knowing I am not the only new coordinator who feels lost some weeks.",
        "The circle is a safe place to ask questions I would not ask in my department.",
    ),
    ("circles", "midpoint", "improvements"): (
        "Meetings at noon clash with clinic visits; an early-morning option would help.",
        "A short agenda before each meeting would help us prepare.",
        "More practice questions for the certification exam.",
        "Some circles are much more experienced than others; mix them more evenly.",
        "Invite a PI to one session so they see what we do.",
    ),
    ("circles", "final", "most_valuable"): (
        "Building a network across departments that I still use every week.",
        "The risk-based monitoring module was new to me and made me curious about monitoring as a career.",
        "Listening to how others prepared for the CCRC exam and what the test day was like.",
        "Sharing SOPs between units; we adopted two of them.",
        "The group discussions mattered more to me than the modules.",
        "Meeting coordinators from Jacksonville, which usually feels very separate.",
    ),
    ("circles", "final", "improvements"): (
        "Nine months is long; six months with the same content would be easier to keep up.",
        "Document what each meeting covered so absent members can catch up.",
        "Start a circle just for early-career coordinators.",
        "Ask PIs to commit time for their staff before the program starts.",
        "Add new topics next year, such as budgets and billing.",
    ),
    ("circles", "checkin", "comments"): (
        "Two meetings this quarter were cancelled for study visits.",
        "Our circle is getting more comfortable sharing problems.",
        "I have fallen behind on the modules and will catch up next month.",
        "Great discussion on informed consent documentation.",
    ),
    ("rotating-pairs", "midpoint", "most_valuable"): (
        "My mentor showed me how she plans a study start-up week by week.",
        "Meeting a peer from the cancer center who faces the same sponsor issues.",
        "Having protected time once a month to talk about my career.",
        "Learning how another department tracks screening logs.",
        "My mentee's questions made me rethink how we train new staff.",
        "A peer outside my unit to compare notes on budgets.",
    ),
    ("rotating-pairs", "midpoint", "improvements"): (
        "Three meetings a quarter is hard in a busy enrollment period.",
        "Let us keep a partner for a second quarter if both want to.",
        "Suggested topics for each meeting would help new pairs start.",
        "Match peers with more similar roles.",
        "A reminder when the quarter is half over.",
    ),
    ("rotating-pairs", "final", "most_valuable"): (
        "Four partners in a year: I now know people in four departments.",
        "The mentor training helped me listen instead of fixing everything.",
        "My second mentor helped me decide to apply for a manager role.",
        "Peer quarters were as useful as the mentor quarters.",
        "Talking openly about workload with someone outside my team.",
        "Learning how regulatory submissions work in another unit.",
    ),
    ("rotating-pairs", "final", "improvements"): (
        "Announce the new pairs before the quarter starts, not after.",
        "A closing event where all pairs meet would be nice.",
        "Give mentors a short refresher before the third quarter.",
        "Make the check-in survey shorter.",
        "Let supervisors know what their staff are doing in the program.",
    ),
    ("rotating-pairs", "checkin", "comments"): (
        "We met three times and set goals for next quarter.",
        "My partner changed departments mid-quarter, so we met only once.",
        "Good fit: we work with the same sponsor.",
        "Scheduling across two hospitals was hard this quarter.",
    ),
}

#: Focus-group excerpts for each second-level code of the circles paper's codebook (Table 1).
EXCERPTS = {
    ("Situation", "Inclusion of PIs in sessions"): ("It would help if our PIs came to at least one session and heard what we deal with.",),
    ("Situation", "Participants distribution within groups"): ("Our circle had mostly experienced people, so the new coordinators were quiet at first.",),
    ("Situation", "Program conducted in fewer weeks"): ("Nine months felt long; the same content in fewer weeks would keep the momentum.",),
    ("Situation", "Better documentation"): ("We needed notes of what each meeting covered for people who missed it.",),
    ("Situation", "Co-mentoring for early coordinators"): ("Early coordinators could use a circle of their own as well.",),
    ("Situation", "Commitment of PI to invest in staff"): ("My PI neither supported nor encouraged me to take part; I came on my own time.",),
    ("Situation", "Materials for certification preparation"): ("I would like to know what the testing environment was like for those who took the exam.",
                                                               "More practice questions would make the program even more relevant to the exam."),
    ("Situation", "New topics for future co-mentoring circles"): ("Budgets and billing would be a good topic for next year.",),
    ("Knowledge", "Certification"): ("The modules lined up with what the exam covers, which made studying less overwhelming.",
                                     "Hearing about people's exam experiences made it feel achievable."),
    ("Knowledge", "Mentoring"): ("I learned how to answer a new coordinator's question without taking over.",),
    ("Knowledge", "SOPs"): ("We compared SOPs across departments and I brought two back to my unit.",),
    ("Knowledge", "Professional task rehearsal"): ("Walking through a consent visit together made me more confident with patients.",),
    ("Knowledge", "Working for problem-solving"): ("We worked through a real deviation and what each of us would have done.",),
    ("Learning", "Application with topics"): ("Risk-based monitoring piqued my curiosity; it seems like a natural progression from coordinator.",),
    ("Learning", "Group discussions"): ("The co-mentoring discussions had more impact than the modules, although the curriculum was good.",
                                        "The ethics session was also a good point for discussion and sharing experiences across the group."),
    ("Learning", "Safe space to learn"): ("It was a place to bounce ideas and ask questions I did not feel comfortable asking in my department.",
                                          "Hearing others share difficulties with procedures in their departments helped, as this can be intimidating."),
    ("Learning", "Curriculum enhancement"): ("Introduction to Clinical Trials had the most useful information, untouched in other modules.",),
    ("Learning", "Transitioning between roles"): ("As a new coordinator I felt welcomed in a group that had different levels of experience.",),
    ("Learning", "Reading materials"): ("A short reading before each meeting would give us something concrete to discuss.",),
    ("Relationships", "Meeting outside of the workplace"): ("The in-person meet-and-greet made the virtual meetings easier afterwards.",),
    ("Relationships", "Networking"): ("It was nice to build a network with Gainesville and Jacksonville because it's often very separate.",
                                      "I enjoyed the networking aspect in the group and seeing how other departments do things.",
                                      "Networking brought a sense of community that lasted after the program ended."),
    ("Relationships", "Professional identity"): ("Networking is vital as you progress through your career and decide what your next level should be.",
                                                 "For the first time I thought of research coordination as a profession and not just a job."),
}
