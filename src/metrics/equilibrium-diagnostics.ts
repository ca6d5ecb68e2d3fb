/**
 * The equilibrium check of the Purdue lecture "Computing the GAN equilibrium"
 * (../../../shared/seeds/computing-the-gan-equilibrium-lecture.txt, "Convergence of GANs"): at the Nash
 * equilibrium the generated and reference distributions are identical, R*(y) = 1, and the discriminator
 * "assigns a 50/50 probability to either case", f*(y) = 1/(1 + R*(y)) = 1/2. Then
 *
 *   g(θ_g*, θ_d*) = E[−log f(Ỹ)] = −log ½ = log 2 ≈ 0.693                      (generator loss)
 *   d(θ_g*, θ_d*) = E[−log f(Y)] + E[−log(1 − f(Ỹ))] = −2 log ½ = 2 log 2 ≈ 1.386   (discriminator loss)
 *
 * These targets apply to the standard GAN with a sigmoid (probability) discriminator D = f and natural-log
 * cross-entropy losses:
 * - **non-saturating**: lossG = −E log D(G(z)) (the lecture's g), lossD = −E log D(x) − E log(1 − D(G(z)));
 * - **minimax**: the same lossD; the generator maximises lossD's fake term, so report
 *   lossG = −E log(1 − D(G(z))) (its value, also log 2 at D ≡ ½), not its negation.
 * They do not apply to WGAN critics (unbounded, no sigmoid), least-squares GANs or penalised losses unless the
 * penalty is left out of lossD.
 */

/** log 2: the generator's loss at the equilibrium. */
export const LOG2 = Math.LN2;
/** 2 log 2: the discriminator's loss at the equilibrium. */
export const TWO_LOG2 = 2 * Math.LN2;

/** Measured values at a training step (natural-log losses, D's outputs as probabilities). */
export interface EquilibriumInputs {
  /** Discriminator loss −E log D(x) − E log(1 − D(G(z))). */
  lossD: number;
  /** Generator loss −E log D(G(z)) (non-saturating) or −E log(1 − D(G(z))) (minimax). */
  lossG: number;
  /** Mean of D(x) over real samples. */
  meanDReal: number;
  /** Mean of D(G(z)) over generated samples. */
  meanDFake: number;
}

/** Signed distances from the equilibrium targets; all four are 0 at the equilibrium. */
export interface EquilibriumDiagnostics {
  /** lossD − 2 log 2. */
  lossDMinus2Log2: number;
  /** lossG − log 2. */
  lossGMinusLog2: number;
  /** meanDReal − ½. */
  dRealMinusHalf: number;
  /** meanDFake − ½. */
  dFakeMinusHalf: number;
}

/** How far the measured losses and discriminator outputs are from the lecture's equilibrium values. */
export function equilibriumDiagnostics(m: EquilibriumInputs): EquilibriumDiagnostics {
  return {
    lossDMinus2Log2: m.lossD - TWO_LOG2,
    lossGMinusLog2: m.lossG - LOG2,
    dRealMinusHalf: m.meanDReal - 0.5,
    dFakeMinusHalf: m.meanDFake - 0.5,
  };
}
