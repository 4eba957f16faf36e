package dev.grove.cli; public class GroveCommand { public static void main(String[] a){} }
