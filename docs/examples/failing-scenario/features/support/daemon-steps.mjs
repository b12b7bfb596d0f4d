import 'daemon-steps';
