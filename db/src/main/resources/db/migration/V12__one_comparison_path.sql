-- One path for every comparison of scored versions: common_target_parts() (V11) now serves two versions too, and
-- V10's loss_difference_parts(), which did until now, is dropped.
--
-- With two versions the targets common to all are the pair's own, so every hour is clean: the pair sums are the
-- comparison whatever either version missed. V11's search for the clean hours would instead have left to the rows
-- every hour before the last one in which a challenger missed a target.

CREATE OR REPLACE FUNCTION common_counts_agree(p_exchange text, p_symbol text, p_interval text, p_versions text[],
                                               p_from timestamptz, p_end_counts bigint[])
    RETURNS boolean
    LANGUAGE plpgsql
    STABLE
AS
$$
BEGIN
    IF cardinality(p_versions) <= 2 THEN
        RETURN true;
    END IF;
    RETURN (SELECT count(DISTINCT u.e - u.s) <= 1
            FROM unnest(p_end_counts, common_target_counts(p_exchange, p_symbol, p_interval, p_versions, p_from))
                 u(e, s));
END
$$;

DROP FUNCTION loss_difference_parts(text, text, text, text, text, timestamptz);
