"""Update rules beyond the notes' plain gradient step, one small class each.

Every optimiser has one method, update(layer, learning_rate), that changes the layer's W and b
from the gradients dW and db that its BackProp stored (summed over the batch, as in the notes).
The optimiser keeps its own state per layer (velocities, moments, step counts); the layer keeps
only W, b, its cache and its gradients. Below them, the learning-rate schedules that scale the
rate from epoch to epoch (learning_rate_factor). Left out: AdaGrad, RMSProp, learning-rate warm-up.

    network.train(X, y, 10, 128, 0.001, optimizer=Adam())    # or optimizer='adam'
"""
import math

import numpy as np

from Utils import check_fraction, check_number


class SGD:
    """The notes' step:  W <- W - learning_rate dW;  b <- b - learning_rate db.  No state."""

    def update(self, layer, learning_rate):
        """One plain gradient-descent step of layer's W and b (Layer_dense.update_parameters)."""
        layer.update_parameters(learning_rate)

    def __repr__(self):
        return "SGD()"


class Momentum:
    """Gradient descent with momentum (Polyak), or Nesterov's form of it:

        V <- momentum V + dW                                  (V starts at 0)
        W <- W - learning_rate V                              (nesterov=False)
        W <- W - learning_rate (dW + momentum V)              (nesterov=True)

    and the same for b with its own velocity. The step follows a running sum of past gradients,
    so it speeds up along directions where they agree and damps the ones where they oscillate.
    momentum: mu in [0, 1), 0.9 by default.
    """

    def __init__(self, momentum=0.9, nesterov=False):
        self.momentum = check_fraction(momentum, "momentum")
        self.nesterov = bool(nesterov)
        self.velocities = {}                       # layer -> [V_W, V_b]

    def __repr__(self):
        return f"Momentum(momentum={self.momentum}, nesterov={self.nesterov})"

    def update(self, layer, learning_rate):
        """One step of W and b of layer; creates the layer's velocities (zeros) on its first step."""
        if layer not in self.velocities:
            self.velocities[layer] = [np.zeros_like(layer.W), np.zeros_like(layer.b)]
        for P, dP, V in zip((layer.W, layer.b), (layer.dW, layer.db), self.velocities[layer]):
            V *= self.momentum                     # V <- momentum V + dP, in place
            V += dP
            if self.nesterov:                      # P <- P - learning_rate (dP + momentum V)
                P -= learning_rate * dP
                P -= learning_rate * self.momentum * V
            else:                                  # P <- P - learning_rate V
                P -= learning_rate * V


class Adam:
    """Adam (Kingma & Ba 2014, Algorithm 1), for each parameter P in (W, b) with gradient dP:

        t <- t + 1
        m <- beta1 m + (1 - beta1) dP                         (m, v start at 0)
        v <- beta2 v + (1 - beta2) dP^2
        m_hat = m / (1 - beta1^t)
        v_hat = v / (1 - beta2^t)
        P <- P - learning_rate m_hat / (sqrt(v_hat) + epsilon)

    m and v are running means of the gradient and of its square; dividing by 1 - beta^t undoes
    their bias towards the zeros they start from. Each parameter's step is about learning_rate
    in size whatever the scale of its gradient, so 0.001 is a good rate for summed gradients too.
    """

    def __init__(self, beta1=0.9, beta2=0.999, epsilon=1e-8):
        self.beta1 = check_fraction(beta1, "beta1")
        self.beta2 = check_fraction(beta2, "beta2")
        self.epsilon = check_number(epsilon, "epsilon")
        if not self.epsilon > 0:
            raise ValueError(f"epsilon must be positive, got {epsilon!r}")
        self.steps = {}                            # layer -> t
        self.moments = {}                          # layer -> [(m_W, v_W), (m_b, v_b)]

    def __repr__(self):
        return f"Adam(beta1={self.beta1}, beta2={self.beta2}, epsilon={self.epsilon})"

    def update(self, layer, learning_rate):
        """One step of W and b of layer; creates the layer's moments (zeros) on its first step."""
        if layer not in self.moments:
            self.steps[layer] = 0
            self.moments[layer] = [(np.zeros_like(P), np.zeros_like(P)) for P in (layer.W, layer.b)]
        self.steps[layer] += 1
        t = self.steps[layer]
        for P, dP, (m, v) in zip((layer.W, layer.b), (layer.dW, layer.db), self.moments[layer]):
            m *= self.beta1                        # m <- beta1 m + (1 - beta1) dP, in place
            m += (1 - self.beta1) * dP
            v *= self.beta2                        # v <- beta2 v + (1 - beta2) dP^2, in place
            v += (1 - self.beta2) * dP * dP
            m_hat = m / (1 - self.beta1 ** t)
            v_hat = v / (1 - self.beta2 ** t)
            P -= learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": lambda: Momentum(nesterov=True), "adam": Adam}


def get_optimizer(optimizer):
    """An optimiser object for a name ('sgd', 'momentum', 'nesterov', 'adam'), None (SGD) or an object."""
    if optimizer is None:
        return SGD()
    if isinstance(optimizer, str):
        key = optimizer.strip().lower()
        if key not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {optimizer!r}; use one of {', '.join(OPTIMIZERS)} "
                             f"or an object with an update(layer, learning_rate) method")
        return OPTIMIZERS[key]()
    if not callable(getattr(optimizer, "update", None)):
        raise TypeError(f"optimizer must be a name or an object with an update(layer, learning_rate) "
                        f"method, got {optimizer!r}")
    return optimizer



# ---- Learning-rate schedules: the rate of each epoch ------------------------------------------

SCHEDULES = ("constant", "cosine", "step")


def learning_rate_factor(schedule, epoch, epochs):
    """The factor that scales the learning rate in epoch (counted from 0) of epochs.

    None or 'constant': 1.  'cosine': (1 + cos(pi epoch / epochs)) / 2, from 1 down towards 0.
    'step': 1, then 0.1 from half the epochs on, 0.01 from three quarters on.
    A function: schedule(epoch, epochs).
    """
    if callable(schedule):
        return float(schedule(epoch, epochs))
    if schedule in (None, "constant"):
        return 1.0
    if schedule == "cosine":
        return 0.5 * (1 + math.cos(math.pi * epoch / epochs))
    if schedule == "step":
        return 0.1 ** ((epoch >= epochs / 2) + (epoch >= 3 * epochs / 4))
    raise ValueError(f"unknown schedule {schedule!r}; use one of {', '.join(SCHEDULES)} or a function")
