"""How learnable data/churn.txt is, on the blog's own split.

Loads the file as the blog does, one-hot encodes what Autopilot would treat as categories
(State, Area Code, the two plans; Phone is an ID and is dropped), splits with
`df.sample(frac=0.8, random_state=200)` and prints test F1/AUC for gradient-boosted trees
(XGBoost) and a scaled logistic regression. Run with Debian's Python:

    /usr/bin/python3 data/check-churn.py [data/churn.txt]
"""

import sys
from pathlib import Path

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

CATEGORICAL = ["State", "Area Code", "Int'l Plan", "VMail Plan"]
TARGET = "Churn?"


def load(path):
    df = pd.read_csv(path)
    features = pd.get_dummies(df.drop(columns=["Phone", TARGET]), columns=CATEGORICAL, dtype=float)
    features["label"] = (df[TARGET] == "True.").astype(int)
    return features


def blog_split(df):
    train = df.sample(frac=0.8, random_state=200)
    test = df.drop(train.index)
    if len(df) == 5000:
        # The profile's test vector for the blog's split of a 5,000-row frame.
        assert list(train.index[:3]) == [3019, 2198, 432]
        assert list(test.index[:5]) == [2, 17, 18, 37, 39]
    return train, test


def scores(model, train, test):
    x_train, y_train = train.drop(columns="label"), train["label"]
    x_test, y_test = test.drop(columns="label"), test["label"]
    model.fit(x_train, y_train)
    probability = model.predict_proba(x_test)[:, 1]
    return f1_score(y_test, probability >= 0.5), roc_auc_score(y_test, probability)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("churn.txt")
    train, test = blog_split(load(path))
    models = {
        "xgboost (200 rounds, depth 5, eta 0.1)": XGBClassifier(
            n_estimators=200, max_depth=5, learning_rate=0.1, random_state=0, n_jobs=2
        ),
        "logistic regression (scaled)": make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=2000)
        ),
    }
    print(f"{len(train)} train rows, {len(test)} test rows")
    for name, model in models.items():
        f1, auc = scores(model, train, test)
        print(f"{name:40s} F1 {f1:.3f}  AUC {auc:.3f}")


if __name__ == "__main__":
    main()
