//! The signature every analyzer's code has: the repository's facts and the rule's parameters
//! in, a verdict out. Apart from the registry so each concern can name it without a cycle.

use crate::facts::RepoContext;
use crate::model::Verdict;
use crate::pack::catalog::Params;

pub type Run = fn(&RepoContext, &Params) -> Verdict;
