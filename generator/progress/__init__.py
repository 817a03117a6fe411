"""Each person's progress, the cohort's attrition, and each circle's knowledge gaps."""
