// The project's own scenarios load the steps exactly as a consumer does: by the package's name.
import 'daemon-steps';
