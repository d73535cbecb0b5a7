model = keras.Sequential()
model.add(keras.Input(shape=(224, 224, 3)))
model.add(layers.Conv2D(32, (3, 3), strides=(2, 2), activation="relu"))
model.add(layers.MaxPooling2D())
model.add(layers.Flatten())
model.add(layers.Dropout(0.3,))
model.add(layers.Dense(10))  # head
