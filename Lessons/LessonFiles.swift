// The LessonFiles module: this folder's lesson files, built into cnn-tutor.
// The EmbedLessons build plugin writes `BuiltInLessons.files` from the .md
// files here at every build that follows a change to them.
