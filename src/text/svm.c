/* svm.c — a binary L2-regularised L2-loss linear SVM trained by dual
 * coordinate descent (Hsieh et al. 2008, LIBLINEAR's solver 1, the one
 * scikit-learn's LinearSVC runs):
 *
 *   min_α ½ αᵀ(Q + D)α − eᵀα,  α ≥ 0,  Q_ij = y_i y_j x_i·x_j,  D_ii = 1/(2C)
 *
 * with w = Σ α_i y_i x_i kept up to date, so each step costs one sparse dot
 * product.  The intercept is the weight of a constant feature p->bias. */
#include <math.h>
#include <stdlib.h>

#include "classify_int.h"

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double dot(const float *w, const tc_vec *x, double bias, size_t n_feat)
{
    double d = bias * w[n_feat];
    for (size_t j = 0; j < x->n; j++)
        d += (double)w[x->idx[j]] * x->val[j];
    return d;
}

static void axpy(float *w, const tc_vec *x, double a, double bias, size_t n_feat)
{
    for (size_t j = 0; j < x->n; j++)
        w[x->idx[j]] += (float)(a * x->val[j]);
    w[n_feat] += (float)(a * bias);
}

hl_rc tc_svm_train(const tc_params *p, const tc_vec *x, const int *y, size_t n, int label,
                   const double *cost, size_t n_feat, float *w)
{
    double *alpha = calloc(n ? n : 1, sizeof *alpha);
    double *qd = malloc((n ? n : 1) * sizeof *qd), *diag = malloc((n ? n : 1) * sizeof *diag);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!alpha || !qd || !diag || !order) {
        free(alpha), free(qd), free(diag), free(order);
        return HL_ENOMEM;
    }
    for (size_t j = 0; j <= n_feat; j++)
        w[j] = 0;
    for (size_t i = 0; i < n; i++) {
        double s = p->bias * p->bias;
        for (size_t j = 0; j < x[i].n; j++)
            s += (double)x[i].val[j] * x[i].val[j];
        diag[i] = 0.5 / (p->c * cost[i]);
        qd[i] = s + diag[i];
        order[i] = i;
    }
    uint64_t seed = p->seed ? p->seed : 1;
    for (int it = 0; it < p->max_iter; it++) {
        for (size_t i = n; i > 1; i--) { /* a fresh order each pass */
            size_t s = (size_t)(xorshift(&seed) % i), t = order[i - 1];
            order[i - 1] = order[s];
            order[s] = t;
        }
        double pg_max = -INFINITY, pg_min = INFINITY;
        for (size_t k = 0; k < n; k++) {
            size_t i = order[k];
            double yi = y[i] == label ? 1.0 : -1.0;
            double g = yi * dot(w, &x[i], p->bias, n_feat) - 1.0 + diag[i] * alpha[i];
            double pg = alpha[i] == 0 && g > 0 ? 0 : g;
            pg_max = fmax(pg_max, pg);
            pg_min = fmin(pg_min, pg);
            if (fabs(pg) < 1e-12)
                continue;
            double old = alpha[i];
            alpha[i] = fmax(old - g / qd[i], 0.0);
            axpy(w, &x[i], (alpha[i] - old) * yi, p->bias, n_feat);
        }
        if (pg_max - pg_min < p->eps)
            break;
    }
    free(alpha), free(qd), free(diag), free(order);
    return HL_OK;
}
