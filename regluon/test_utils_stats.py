"""`mx.test_utils` checks of random generators, as MXNet 1.9.1's: sample mean and variance
ranges and chi-square tests over buckets. MXNet takes the chi-square p-value from scipy;
here it is the chi-square distribution's survival function computed by torch
(regularized upper incomplete gamma), so scipy is not needed. Re-exported by
`regluon.test_utils`.
"""
import numpy as np
import torch

__all__ = ['gen_buckets_probs_with_ppf', 'mean_check', 'var_check', 'chi_square_check',
           'verify_generator']


def gen_buckets_probs_with_ppf(ppf, nbuckets):
    """`nbuckets` equally likely buckets from a quantile function (inverse cdf).

    Parameters
    ----------
    ppf : function
        Maps a probability to a value.
    nbuckets : int

    Returns
    -------
    buckets : list of tuple
        (ppf(i / n), ppf((i + 1) / n)) for each i.
    probs : list
        1 / n for each bucket.
    """
    assert nbuckets > 0
    probs = [1.0 / nbuckets for _ in range(nbuckets)]
    buckets = [(ppf(i / float(nbuckets)), ppf((i + 1) / float(nbuckets)))
               for i in range(nbuckets)]
    return buckets, probs


def mean_check(generator, mu, sigma, nsamples=1000000):
    """Whether the mean of generator(nsamples) lies in mu +- 3 sigma / sqrt(nsamples).

    Parameters
    ----------
    generator : function
        generator(N) gives N i.i.d. samples.
    mu, sigma : float
    nsamples : int

    Returns
    -------
    bool
    """
    samples = np.array(generator(nsamples))
    sample_mean = samples.mean()
    return (sample_mean > mu - 3 * sigma / np.sqrt(nsamples)) and \
        (sample_mean < mu + 3 * sigma / np.sqrt(nsamples))


def var_check(generator, sigma, nsamples=1000000):
    """Whether the sample variance of generator(nsamples) lies in
    sigma^2 +- 3 sqrt(2 sigma^4 / (nsamples - 1)).

    Parameters
    ----------
    generator : function
        generator(N) gives N i.i.d. samples.
    sigma : float
    nsamples : int

    Returns
    -------
    bool
    """
    samples = np.array(generator(nsamples))
    sample_var = samples.var(ddof=1)
    half_width = 3 * np.sqrt(2 * sigma ** 4 / (nsamples - 1))
    return (sample_var > sigma ** 2 - half_width) and (sample_var < sigma ** 2 + half_width)


def _chisquare_p(f_obs, f_exp):
    """p-value of Pearson's chi-square statistic with len - 1 degrees of freedom."""
    f_obs = np.asarray(f_obs, dtype=np.float64)
    f_exp = np.asarray(f_exp, dtype=np.float64)
    stat = ((f_obs - f_exp) ** 2 / f_exp).sum()
    dof = len(f_obs) - 1
    return float(torch.special.gammaincc(torch.tensor(dof / 2.0, dtype=torch.float64),
                                         torch.tensor(stat / 2.0, dtype=torch.float64)))


def chi_square_check(generator, buckets, probs, nsamples=1000000):
    """Chi-square test of generator(nsamples) against bucket probabilities.

    For a continuous distribution, `buckets` are ascending, non-overlapping (low, high)
    ranges; for a discrete one, the possible values.

    Parameters
    ----------
    generator : function
        generator(N) gives N i.i.d. samples.
    buckets : list of tuple or list of number
    probs : list or tuple
        The probability of each bucket.
    nsamples : int

    Returns
    -------
    p : float
        The p-value (higher: more confidence that the samples follow `probs`).
    obs_freq : np.ndarray
        The number of samples in each bucket.
    expected_freq : np.ndarray
        int32(nsamples * probs).
    """
    assert isinstance(buckets, list)
    samples = generator(nsamples)
    assert len(probs) == len(buckets)
    continuous_dist = isinstance(buckets[0], (list, tuple))
    if continuous_dist:
        buckets_npy = np.zeros((len(buckets) * 2, ), dtype=np.float32)
        for i, _ in enumerate(buckets):
            assert buckets[i][0] <= buckets[i][1]
            if i < len(buckets) - 1:
                assert buckets[i][1] <= buckets[i + 1][0]
            buckets_npy[i * 2] = buckets[i][0]
            buckets_npy[i * 2 + 1] = buckets[i][1]
        # a sample in bucket i falls between its bounds: position 2i + 1 of the bounds
        sample_bucket_ids = np.searchsorted(buckets_npy, samples, side='right') // 2
    else:
        sample_bucket_ids = np.array(samples)
    expected_freq = (nsamples * np.array(probs, dtype=np.float32)).astype(np.int32)
    obs_freq = np.zeros(shape=len(buckets), dtype=np.int64)
    for i, _ in enumerate(buckets):
        obs_freq[i] = (sample_bucket_ids == (i if continuous_dist else buckets[i])).sum()
    return _chisquare_p(obs_freq, expected_freq), obs_freq, expected_freq


def verify_generator(generator, buckets, probs, nsamples=1000000, nrepeat=5, success_rate=0.2,
                     alpha=0.05):
    """Repeat `chi_square_check` nrepeat times; raise AssertionError unless at least
    nrepeat * success_rate of the p-values exceed alpha.

    Parameters
    ----------
    generator : function
    buckets : list of tuple or list of number
    probs : list or tuple
    nsamples, nrepeat : int
    success_rate, alpha : float

    Returns
    -------
    list of float
        The p-values.
    """
    cs_ret_l, obs_freq_l, expected_freq_l = [], [], []
    for _ in range(nrepeat):
        cs_ret, obs_freq, expected_freq = chi_square_check(generator=generator, buckets=buckets,
                                                           probs=probs, nsamples=nsamples)
        cs_ret_l.append(cs_ret)
        obs_freq_l.append(obs_freq)
        expected_freq_l.append(expected_freq)
    success_num = (np.array(cs_ret_l) > alpha).sum()
    if success_num < nrepeat * success_rate:
        raise AssertionError("Generator test fails, Chi-square p=%s, obs_freq=%s, "
                             "expected_freq=%s.\nbuckets=%s, probs=%s"
                             % (str(cs_ret_l), str(obs_freq_l), str(expected_freq_l),
                                str(buckets), str(probs)))
    return cs_ret_l
