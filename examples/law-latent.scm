# Kusner et al.'s level-2 model with a linear-Gaussian latent "knowledge" K (the paper's LSAT is Poisson).
race: categorical
sex: categorical
K: latent
UGPA <- K + race + sex
LSAT <- K + race + sex
ZFYA <- K + race + sex
