"""np-mode hybridize cases whose outputs are random: `mx.sym.np.random`, `mx.sym.npx.random`,
npx.dropout (in training) and npx.image's random transforms. Same format as
np_symbol_cases.py; tools/golden_np_symbol_random.py records MXNet 1.9.1's exported graph
and its output's shape and dtype for each (np_symbol_random_graphs.json), and
tests/test_np_symbol_random.py compares regluon's with them and checks the samples'
statistics. (Not a value-compared family: the file name does not match
np_symbol_cases_*.py.)
"""
from np_symbol_cases import A, P, V

HWC = ((4, 5, 3), 'p')


def _f(x):
    return x.astype('float32')


def _probs(F, p):
    return p / F.np.sum(p)


CASES = {
    # ---- np.random: parameters as arrays (inputs) or numbers (settings)
    'random_uniform_arrays': (lambda F, x: F.np.random.uniform(x, x + 1), [A]),
    'random_uniform_low_number': (lambda F, p: F.np.random.uniform(0, p, size=(4, 2, 3)),
                                  [P]),
    'random_uniform_high_number': (lambda F, x: F.np.random.uniform(x, 2.0), [A]),
    'random_uniform_numbers': (lambda F, x: x + F.np.random.uniform(-1, 1, size=(2, 3)), [A]),
    'random_normal_arrays': (lambda F, x, p: F.np.random.normal(x, p), [A, P]),
    'random_normal_loc_number': (lambda F, p: F.np.random.normal(1.0, p, size=(5, 2, 3)), [P]),
    'random_normal_scale_number': (lambda F, x: F.np.random.normal(x, 2, dtype='float64'),
                                   [A]),
    'random_normal_numbers': (lambda F, x: x * F.np.random.normal(size=3), [A]),
    'random_randint': (lambda F, x: x + _f(F.np.random.randint(0, 5, size=(2, 3))), [A]),
    'random_randint_int_size': (lambda F, v: v + _f(F.np.random.randint(-2, 2, size=3)), [V]),
    'random_randint_high': (lambda F, x: x + _f(F.np.random.randint(4, dtype='int32')), [A]),
    'random_rand': (lambda F, x: x + F.np.random.rand(2, 3), [A]),
    'random_choice_int': (lambda F, x: _f(F.np.random.choice(5, size=(2, 3))) + x, [A]),
    'random_choice_array': (lambda F, v: F.np.random.choice(v, size=(4,)), [V]),
    'random_choice_weighted': (lambda F, v, p: F.np.random.choice(v, 5, p=_probs(F, p)),
                               [V, ((3,), 'p')]),
    'random_choice_int_weighted': (lambda F, p: _f(F.np.random.choice(
        3, 2, replace=False, p=_probs(F, p))), [((3,), 'p')]),
    'random_exponential_number': (lambda F, x: x + F.np.random.exponential(2.0, size=(2, 3)),
                                  [A]),
    'random_exponential_array': (lambda F, p: F.np.random.exponential(p), [P]),
    'random_gamma_numbers': (lambda F, x: x + F.np.random.gamma(2.0, 1.5, size=3), [A]),
    'random_gamma_shape_array': (lambda F, p: F.np.random.gamma(p, 2), [P]),
    'random_gamma_arrays': (lambda F, p, q: F.np.random.gamma(p, q, size=(4, 2, 3)), [P, P]),
    'random_beta': (lambda F, x: x + F.np.random.beta(2, 3, size=3), [A]),
    'random_chisquare': (lambda F, x: x + F.np.random.chisquare(3, size=(2, 3)), [A]),
    'random_gumbel_numbers': (lambda F, x: x + F.np.random.gumbel(0, 1, size=3), [A]),
    'random_gumbel_arrays': (lambda F, x, p: F.np.random.gumbel(x, p), [A, P]),
    'random_logistic_loc_array': (lambda F, x: F.np.random.logistic(x, 1), [A]),
    'random_logistic_scale_array': (lambda F, p: F.np.random.logistic(2, p), [P]),
    'random_lognormal': (lambda F, x: x + F.np.random.lognormal(0, 1, size=3), [A]),
    'random_pareto_number': (lambda F, x: x + F.np.random.pareto(2.0, size=3), [A]),
    'random_pareto_array': (lambda F, p: F.np.random.pareto(p), [P]),
    'random_power_number': (lambda F, x: x + F.np.random.power(2.0, size=3), [A]),
    'random_power_array': (lambda F, p: F.np.random.power(p), [P]),
    'random_rayleigh_number': (lambda F, x: x + F.np.random.rayleigh(2.0, size=3), [A]),
    'random_rayleigh_array': (lambda F, p: F.np.random.rayleigh(p), [P]),
    'random_weibull_number': (lambda F, x: x + F.np.random.weibull(2.0, size=3), [A]),
    'random_weibull_array': (lambda F, p: F.np.random.weibull(p), [P]),
    # ---- npx.random
    'npx_bernoulli_prob_number': (lambda F, x: x + F.npx.random.bernoulli(0.3, size=(2, 3)),
                                  [A]),
    'npx_bernoulli_prob_array': (lambda F, p: F.npx.random.bernoulli(p / 2), [P]),
    'npx_bernoulli_logit_array': (lambda F, x: F.npx.random.bernoulli(logit=x), [A]),
    'npx_bernoulli_logit_number': (lambda F, x: x + F.npx.random.bernoulli(logit=0.5, size=3),
                                   [A]),
    'npx_uniform_n_arrays': (lambda F, x: F.npx.random.uniform_n(x, x + 1, batch_shape=(2,)),
                             [A]),
    'npx_uniform_n_numbers': (lambda F, x: x + F.npx.random.uniform_n(0, 1, batch_shape=3),
                              [A]),
    'npx_normal_n_scale_array': (lambda F, p: F.npx.random.normal_n(0, p, batch_shape=(4,)),
                                 [P]),
    'npx_normal_n_numbers': (lambda F, x: x + F.npx.random.normal_n(1, 2, batch_shape=(2, 3)),
                             [A]),
    # ---- dropout (active in training: the blocks run inside autograd.record)
    'npx_dropout': (lambda F, x: F.npx.dropout(x, p=0.5), [A]),
    'npx_dropout_axes': (lambda F, x: F.npx.dropout(x, p=0.3, axes=(1,)), [((2, 3, 4), 'f')]),
    # ---- npx.image's random transforms (HWC images in [0.5, 1.5))
    'image_random_flip_left_right': (lambda F, x: F.npx.image.random_flip_left_right(x),
                                     [HWC]),
    'image_random_flip_top_bottom': (lambda F, x: F.npx.image.random_flip_top_bottom(x),
                                     [HWC]),
    'image_random_brightness': (lambda F, x: F.npx.image.random_brightness(x, 0.5, 1.5),
                                [HWC]),
    'image_random_contrast': (lambda F, x: F.npx.image.random_contrast(x, 0.5, 1.5), [HWC]),
    'image_random_saturation': (lambda F, x: F.npx.image.random_saturation(x, 0.5, 1.5),
                                [HWC]),
    'image_random_hue': (lambda F, x: F.npx.image.random_hue(x, 0.1, 0.5), [HWC]),
    'image_random_color_jitter': (lambda F, x: F.npx.image.random_color_jitter(
        x, 0.1, 0.1, 0.1, 0.1), [HWC]),
    'image_random_lighting': (lambda F, x: F.npx.image.random_lighting(x, alpha_std=0.05),
                              [HWC]),
}
