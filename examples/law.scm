# The law-school model of Kusner et al. 2017 ("Counterfactual Fairness"), level 3:
# race and sex are exogenous; UGPA and LSAT depend on them; ZFYA on everything observed.
race: categorical
sex: categorical
UGPA <- race + sex
LSAT <- race + sex
ZFYA <- LSAT + UGPA + race + sex
