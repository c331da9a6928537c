import numpy as np
from Layer_dense import Layer_dense
from Network import NeuralNetwork
from Playground import playground_network, spirals


def build():
    return playground_network([], 'ReLU', classes=3)
