// MADELON (NIPS 2003 feature-selection challenge), vendored in Data/madelon: what the
// benchmark and the tests score a feature selection against.

public enum Madelon {
    /// The 20 relevant features (0-based): the 20 a 1000-tree random forest ranks first, which
    /// are MADELON's 5 informative features and their 15 linear combinations.
    public static let relevantFeatures: Set<Int> = [28, 48, 64, 105, 128, 153, 241, 281, 318, 336, 338, 378, 433, 442,
                                                    451, 453, 455, 472, 475, 493]
}
