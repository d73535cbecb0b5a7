import keras
from keras import layers
n_classes = 10
inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(16, (3, 3), padding='same', activation='relu')(inputs)
y = layers.Conv2D(16, 3, padding="same")(x)
x = layers.Add()([x, y])
x = layers.GlobalAveragePooling2D(keepdims=False)(x)
outputs = layers.Dense(n_classes * 2 // 2, activation='softmax')(x)
model = keras.Model(inputs, outputs)
