from Layer_dense import Layer_dense
from Network import NeuralNetwork


def build_and_train(train_X, train_y):
    network = NeuralNetwork(rng=0)
    network.add_layer(Layer_dense(784, 64, 'ReLU', rng=0))
    network.add_layer(Layer_dense(64, 10, 'Sigmoid', rng=1))
    pixels = train_X / 255.0
    network.train(pixels, train_y, 3, 32, 0.001)
    return network
