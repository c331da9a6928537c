"""Exercise 10: what hidden layers do, on a plane (walkthrough section 13; Playground.py and
Plots.plot_decision_boundary).

Three interleaved spirals, one per class (Playground.spirals): no straight line separates them.
Write build so that it returns a network that does. The check trains it on the spirals of seed 0
(300 epochs, batch 30, learning rate 0.01) and measures it on the spirals of seed 1: 95% is needed.
Before you write it, try in a notebook what each choice does, and look at each network's picture:

    from Playground import spirals, playground_network
    from Plots import plot_decision_boundary
    X, y = spirals(seed=0)
    network = playground_network([], 'ReLU', classes=3)      # no hidden layer; then [1], [3], [16]
    network.train(X, y, 300, 30, 0.01)                       # ReLU against 'Tanh'; 20 against 1000 epochs
    plot_decision_boundary(network, X, y)

Check it:   python exercises/check.py 10
"""


def build():
    """A NeuralNetwork with 2 inputs and 3 Softmax outputs that separates the spirals (input_scale=1:
    the inputs are coordinates, not pixels)."""
    raise NotImplementedError("write build")
